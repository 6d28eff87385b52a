// The small kit both Callwire clients share: reading the API's envelope, logging, listener sets.
export { envelopePayload, parseBody, readEnvelope } from './envelope.js';
export { ListenerSet } from './listener-set.js';
export { createLog, type LogFn, type Logger, type LogLevel } from './logger.js';
