import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** An incoming X-Request-Id the server keeps (a proxy's or a client's own correlation id). */
const GIVEN_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The request id generator: a sane incoming X-Request-Id is kept, anything else gets a new id.
 * New ids are a random per-server prefix and a counter (`3f9a1c0e5b7d-1a2`): unique across
 * restarts and across instances sharing a database, so that log lines correlate, and cheaper per
 * request than a random UUID. Ids only name requests in logs and answers; nothing is authorised by one.
 */
export class RequestIds {
  readonly #prefix = `${randomBytes(6).toString('hex')}-`;
  #next = 0;

  /** A new id (requests Node's parser refused have no headers to take one from). */
  fresh(): string {
    this.#next += 1;
    return this.#prefix + this.#next.toString(36);
  }

  /** Fastify's `genReqId`: the request's own X-Request-Id when it is sane, else a new id. */
  readonly forRequest = (req: IncomingMessage): string => {
    const given = req.headers['x-request-id'];
    return typeof given === 'string' && GIVEN_REQUEST_ID.test(given) ? given : this.fresh();
  };
}
