import type { Logger } from '@callwire/auth-core';

/**
 * A structured logger; `console` fits, so do pino-style objects. Every method is optional. Lines go
 * through auth-core's redaction: logs travel, tokens must not.
 */
export type RealtimeLogger = Logger;
