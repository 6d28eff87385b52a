import { redactObject, redactSecrets } from '../errors/redact.js';

/**
 * A structured logger for the Callwire clients: `console` fits, so do pino-style objects. Every
 * method is optional; a level the logger lacks is skipped.
 */
export interface Logger {
  /** Routine detail. */
  debug?(message: string, data?: Record<string, unknown>): void;
  /** Connection and session changes. */
  info?(message: string, data?: Record<string, unknown>): void;
  /** Something the app may want to know: a failed background refresh, a malformed frame. */
  warn?(message: string, data?: Record<string, unknown>): void;
  /** A failure the client could not recover from. */
  error?(message: string, data?: Record<string, unknown>): void;
}

/** The levels of a {@link Logger}. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Writes one redacted line at a level; made by {@link createLog}. */
export type LogFn = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;

const silent: LogFn = () => {};

/**
 * A log function over `logger` in which every line goes through redaction: a logger is often shipped
 * elsewhere, so no credential may reach it. Without a logger nothing is written.
 *
 * @example
 * ```ts
 * import { createLog } from '@callwire/auth-core';
 *
 * const log = createLog(console);
 * log('warn', 'refresh failed', { authorization: 'Bearer abc' }); // the token is redacted
 * ```
 */
export function createLog(logger: Logger | undefined): LogFn {
  if (logger === undefined) return silent;
  return (level, message, data) => {
    const write = logger[level];
    if (typeof write !== 'function') return;
    const safe = redactSecrets(message);
    if (data === undefined) write.call(logger, safe);
    else write.call(logger, safe, redactObject(data) as Record<string, unknown>);
  };
}
