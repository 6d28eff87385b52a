import { describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { WebSocketConstructor } from '../src/index.js';

describe('WebSocket option typing', () => {
  it('accepts the global WebSocket and the ws package without casts', () => {
    const fromGlobal: WebSocketConstructor = globalThis.WebSocket;
    const fromWs: WebSocketConstructor = WsWebSocket;
    expect(typeof fromGlobal).toBe('function');
    expect(typeof fromWs).toBe('function');
  });
});
