import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logger.js';
import { requestLoggerFactory } from './request-logger.js';

function capturedLogger() {
  const lines: string[] = [];
  const app = Fastify({ logger: loggerOptions('info', { write: (line: string) => lines.push(line) }) });
  return { log: app.log, lines };
}

describe('the request logger', () => {
  it('writes lines bound to the request id, redacted like every other line', () => {
    const { log, lines } = capturedLogger();
    const requestLog = requestLoggerFactory(false)(log, { reqId: 'req-7' }, {});
    requestLog.error({ err: new Error('boom'), body: { password: 'hunter2' } }, 'unhandled error');
    requestLog.debug('below the level: not written');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ reqId: 'req-7', msg: 'unhandled error', level: 50 });
    expect(lines[0]).not.toContain('hunter2');
  });

  it('reports the server level before anything is logged, and its children keep the request id', () => {
    const { log, lines } = capturedLogger();
    const requestLog = requestLoggerFactory(false)(log, { reqId: 'req-8' }, {});
    expect(requestLog.level).toBe('info');
    expect(lines).toHaveLength(0);
    const child = requestLog.child({ step: 'x' });
    child.warn('from a child of the request logger');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ reqId: 'req-8', step: 'x', level: 40 });
  });
});
