import { redactObject, redactSecrets } from '@callwire/auth-core';

/** A structured logger; `console` fits, so do pino-style objects. Every method is optional. */
export interface RealtimeLogger {
  /** Routine detail. */
  debug?(message: string, data?: Record<string, unknown>): void;
  /** Connection changes. */
  info?(message: string, data?: Record<string, unknown>): void;
  /** Something the app may want to know: a malformed frame, a failing cursor store. */
  warn?(message: string, data?: Record<string, unknown>): void;
  /** A failure the client could not recover from. */
  error?(message: string, data?: Record<string, unknown>): void;
}

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: Level, message: string, data?: Record<string, unknown>) => void;

/** Lines go through auth-core's redaction: logs travel, tokens must not. */
export function createLog(logger: RealtimeLogger | undefined): Log {
  if (logger === undefined) return () => {};
  return (level, message, data) => {
    const write = logger[level];
    if (typeof write !== 'function') return;
    const safe = redactSecrets(message);
    if (data === undefined) write.call(logger, safe);
    else write.call(logger, safe, redactObject(data) as Record<string, unknown>);
  };
}
