import type { RestWssSubscription } from '../realtime/ports.js';

/** Messages between server instances about sockets (through the event channel). */
export type ControlMessage =
  | { kind: 'revoked'; userId: string; credentialIds: string[] }
  | { kind: 'user'; userId: string }
  | { kind: 'wss'; userId: string; uuid: string; subscription: RestWssSubscription | null };

export function isControlMessage(value: unknown): value is ControlMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; userId?: unknown };
  return (v.kind === 'revoked' || v.kind === 'user' || v.kind === 'wss') && typeof v.userId === 'string';
}
