import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '@callwire/auth-core';
import { type AddressPolicy, addressRefusal, hostRefusal } from './address-policy.js';

/**
 * Every request the server makes to a URL someone gave it (webhook deliveries, SMS status
 * callbacks, call-flow fetches) goes through {@link OutboundHttp.post}: one place for the address
 * policy, the `User-Agent` and the signature.
 *
 * The policy is applied twice: when a URL is given ({@link OutboundHttp.urlRefusal}, answered as a
 * 400), and when it is fetched, because a name may resolve somewhere else later. At fetch time the
 * name is resolved by the connection's own `lookup`: every address is checked and the socket
 * connects to the address just checked, so a DNS answer that changes between check and connect
 * (rebinding) cannot slip through.
 */

export interface OutboundOptions extends AddressPolicy {
  /** The `User-Agent` of every outbound request, such as `Callwire/1.0.0`. */
  userAgent: string;
  /** Resolves a name to all its addresses (tests stand in for DNS). @default node:dns lookup */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export interface OutboundPost {
  url: string;
  /** The exact bytes to send (and to sign). */
  body: string;
  /** More headers; `User-Agent`, `Content-Length` and the signature are the module's. */
  headers?: Record<string, string>;
  /** Signs the body with this secret in `Callwire-Signature`, exactly as every webhook is signed. */
  secret?: string;
  signal?: AbortSignal;
  /** Gives up after this long. @default 10000 */
  timeoutMs?: number;
  /** Bytes of the answer kept; the rest is read and dropped. @default 65536 */
  maxResponseBytes?: number;
}

export interface OutboundResponse {
  status: number;
  /** The first `maxResponseBytes` of the answer, as UTF-8. */
  body: string;
  /** The answer was longer than `maxResponseBytes`. */
  truncated: boolean;
}

/** The URL's destination is not allowed; nothing was sent. */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
  readonly code = 'EOUTBOUNDREFUSED';
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

function defaultResolve(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

export class OutboundHttp {
  readonly #policy: AddressPolicy;
  readonly #userAgent: string;
  readonly #resolve: (hostname: string) => Promise<LookupAddress[]>;
  // Connections are pooled per instance, so a kept-alive connection was always opened under this
  // instance's policy, to an address it checked.
  readonly #httpAgent = new HttpAgent({ keepAlive: true });
  readonly #httpsAgent = new HttpsAgent({ keepAlive: true });

  constructor(options: OutboundOptions) {
    this.#policy = { blockPrivateNetwork: options.blockPrivateNetwork };
    this.#userAgent = options.userAgent;
    this.#resolve = options.resolve ?? defaultResolve;
  }

  /** Why a URL may not be used as a destination, judged from the URL itself, or undefined. */
  urlRefusal(raw: string): string | undefined {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'must be an absolute http or https URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
    if (url.username !== '' || url.password !== '') return 'must not carry credentials';
    const refused = hostRefusal(url.hostname, this.#policy);
    return refused === undefined ? undefined : `must not point to ${refused}`;
  }

  /** POSTs `body` to `url` under the address policy; rejects with {@link OutboundRefusedError} when refused. */
  async post(request: OutboundPost): Promise<OutboundResponse> {
    const refused = this.urlRefusal(request.url);
    if (refused !== undefined) throw new OutboundRefusedError(`The URL ${refused}`);
    const url = new URL(request.url);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...request.headers,
      'user-agent': this.#userAgent,
      'content-length': String(Buffer.byteLength(request.body)),
    };
    if (request.secret !== undefined) {
      headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] = await signWebhook({
        secret: request.secret,
        payload: request.body,
        timestamp: Math.floor(Date.now() / 1000),
      });
    }
    const timeout = AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
    const max = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const agent = https ? this.#httpsAgent : this.#httpAgent;
    return new Promise<OutboundResponse>((resolve, reject) => {
      // Redirects are not followed: a 3xx is the answer (a redirect could lead anywhere).
      const outgoing = send(url, { method: 'POST', headers, agent, lookup: this.#lookup, signal }, (res) => {
        readCapped(res, max).then(resolve, reject);
      });
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  }

  /** Closes idle pooled connections (at shutdown). */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  /** The connection's name resolution: every address checked, the checked ones handed to connect. */
  readonly #lookup: LookupFunction = (hostname, options, callback) => {
    this.#resolve(hostname).then(
      (all) => {
        for (const entry of all) {
          const refused = addressRefusal(entry.address, this.#policy);
          if (refused !== undefined) {
            callback(new OutboundRefusedError(`${hostname} resolves to ${refused}`), '', 4);
            return;
          }
        }
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = family === undefined ? all : all.filter((entry) => entry.family === family);
        const first = usable[0];
        if (first === undefined) {
          callback(
            Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' }),
            '',
            4,
          );
        } else if (options.all === true) {
          (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}

function readCapped(res: IncomingMessage, max: number): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    res.on('data', (chunk: Buffer) => {
      if (kept >= max) {
        truncated = true;
        return;
      }
      const part = chunk.length > max - kept ? chunk.subarray(0, max - kept) : chunk;
      if (part !== chunk) truncated = true;
      chunks.push(part);
      kept += part.length;
    });
    res.on('end', () =>
      resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), truncated }),
    );
    res.on('error', reject);
  });
}
