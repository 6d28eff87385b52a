import { redactObject, redactSecrets } from '../errors/redact.js';

/**
 * A structured logger for the Callwire clients: `console` fits, so do pino-style objects. Every
 * method is optional; a level the logger lacks is skipped.
 */
export interface Logger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFn = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;

const silent: LogFn = () => {};

/** Every line goes through redaction: a logger is often shipped elsewhere, so no credential may reach it. */
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
