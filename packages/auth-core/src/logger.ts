import { redactObject, redactSecrets } from './errors/redact.js';

/** A structured logger; `console` fits, so do pino-style objects with these two methods. */
export interface AuthLogger {
  /** Routine detail: logins, refreshes, retries. */
  debug?(message: string, data?: Record<string, unknown>): void;
  /** Something the app may want to know about: a failed background refresh, a store that could not be written. */
  warn?(message: string, data?: Record<string, unknown>): void;
}

export type LogFn = (level: 'debug' | 'warn', message: string, data?: Record<string, unknown>) => void;

/** Every line goes through redaction: a logger is often shipped elsewhere, so no credential may reach it. */
export function createLog(logger: AuthLogger | undefined): LogFn {
  if (logger === undefined) return () => {};
  return (level, message, data) => {
    const write = logger[level];
    if (typeof write !== 'function') return;
    const safe = redactSecrets(message);
    if (data === undefined) write.call(logger, safe);
    else write.call(logger, safe, redactObject(data) as Record<string, unknown>);
  };
}
