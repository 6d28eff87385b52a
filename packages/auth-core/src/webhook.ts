import { WebhookSignatureError } from './errors/classes.js';

/**
 * Webhook signatures, Stripe's scheme:
 * `Callwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`.
 * Several `v1` entries may be present while a secret rotates. Web Crypto only, so it runs in
 * Node, browsers, Deno and workers alike (and therefore is async: Web Crypto has no sync API).
 */

export const WEBHOOK_SIGNATURE_HEADER = 'Callwire-Signature';
/** Receivers refuse a signature whose timestamp is further than this from their clock (seconds). */
export const DEFAULT_WEBHOOK_TOLERANCE = 300;

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_LIMIT = 32;

function subtle(): SubtleCrypto {
  const crypto = globalThis.crypto;
  if (crypto?.subtle === undefined) {
    throw new TypeError('Web Crypto (globalThis.crypto.subtle) is required to sign or verify webhooks');
  }
  return crypto.subtle;
}

function hmacKey(secret: string): Promise<CryptoKey> {
  // Importing a key costs more than the HMAC itself for small bodies; a server signing for many
  // subscriptions reuses a few secrets, so keep a small cache (non-extractable keys).
  let key = keyCache.get(secret);
  if (key === undefined) {
    key = subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(secret, key);
    key.catch(() => keyCache.delete(secret));
  }
  return key;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function toHex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] as number];
  return out;
}

function assertRawPayload(payload: unknown): asserts payload is string | Uint8Array {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    throw new TypeError(
      'payload must be the raw request body (string or bytes) exactly as received; ' +
        're-serialised JSON does not match the signature',
    );
  }
}

function signedBytes(timestamp: number, payload: string | Uint8Array): Uint8Array {
  const prefix = encoder.encode(`${timestamp}.`);
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const bytes = new Uint8Array(prefix.length + body.length);
  bytes.set(prefix, 0);
  bytes.set(body, prefix.length);
  return bytes;
}

/** Hex HMAC-SHA256 of `<timestamp>.<payload>`: the `v1` value. */
export async function computeSignature(
  secret: string,
  timestamp: number,
  payload: string | Uint8Array,
): Promise<string> {
  if (typeof secret !== 'string' || secret.length === 0)
    throw new TypeError('secret must be a non-empty string');
  assertRawPayload(payload);
  const key = await hmacKey(secret);
  const data = signedBytes(timestamp, payload);
  return toHex(await subtle().sign('HMAC', key, data as Uint8Array<ArrayBuffer>));
}

/** The options of {@link signWebhook}. */
export interface SignWebhookOptions {
  secret: string;
  /** The exact body that will be sent. */
  payload: string | Uint8Array;
  /**
   * Unix seconds; defaults to now.
   * @defaultValue the current time
   */
  timestamp?: number;
}

/** The `Callwire-Signature` header value: `t=<unix>,v1=<hex>`. */
export async function signWebhook(options: SignWebhookOptions): Promise<string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError('timestamp must be a non-negative integer number of seconds');
  }
  return `t=${timestamp},v1=${await computeSignature(options.secret, timestamp, options.payload)}`;
}

/** The options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * The subscription's signing secret, or several while rotating: any one matching is enough.
   * @defaultValue none: give `secret` or `secrets`
   */
  secret?: string;
  /**
   * Several signing secrets while one replaces another: a signature made with any of them is accepted.
   * @defaultValue none: give `secret` or `secrets`
   */
  secrets?: readonly string[];
  /** The raw request body, byte for byte as received. Not parsed-then-stringified JSON. */
  payload: string | Uint8Array;
  /** The `Callwire-Signature` header value. */
  header: string | null | undefined;
  /**
   * Allowed distance between the signature's timestamp and now, in seconds. Default 300.
   * @defaultValue 300
   */
  tolerance?: number;
  /**
   * The receiver's clock in Unix seconds; defaults to now. For tests.
   * @defaultValue the current time
   */
  now?: number;
}

/** The answer of a successful {@link verifyWebhook}: the signature checked out, and when it was made. */
export interface VerifiedWebhook {
  ok: true;
  /** The signature's timestamp (Unix seconds). */
  timestamp: number;
}

interface ParsedHeader {
  timestamp: number;
  signatures: string[];
}

function parseSignatureHeader(header: string): ParsedHeader | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) {
      signatures.push(value.toLowerCase());
    }
    // Other schemes (v0, a future v2) are ignored, as Stripe does, so they can be added later.
  }
  return timestamp === undefined ? undefined : { timestamp, signatures };
}

/** Compares two equal-length hex strings without an early exit, so timing reveals no prefix. */
function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Verifies a webhook. Resolves `{ ok: true, timestamp }`, or rejects with a `WebhookSignatureError`
 * whose `reason` says what failed; answer 400 and do not process the event in that case.
 *
 * ```ts
 * const body = await request.text(); // raw body
 * await verifyWebhook({ secret, payload: body, header: request.headers.get('Callwire-Signature') });
 * const event = JSON.parse(body);
 * ```
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<VerifiedWebhook> {
  const secrets = options.secrets ?? (options.secret === undefined ? [] : [options.secret]);
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new TypeError('verifyWebhook needs `secret` or `secrets` (non-empty strings)');
  }
  assertRawPayload(options.payload);
  const tolerance = options.tolerance ?? DEFAULT_WEBHOOK_TOLERANCE;
  if (options.header == null || options.header.length === 0) {
    throw new WebhookSignatureError({
      reason: 'missing_header',
      message: `No ${WEBHOOK_SIGNATURE_HEADER} header`,
    });
  }
  const parsed = parseSignatureHeader(options.header);
  if (parsed === undefined) {
    throw new WebhookSignatureError({
      reason: 'malformed_header',
      message: `${WEBHOOK_SIGNATURE_HEADER} must look like t=<unix seconds>,v1=<hex>`,
    });
  }
  if (parsed.signatures.length === 0) {
    throw new WebhookSignatureError({
      reason: 'no_signatures',
      message: `${WEBHOOK_SIGNATURE_HEADER} carries no v1 signature`,
    });
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - parsed.timestamp) > tolerance) {
    throw new WebhookSignatureError({
      reason: 'timestamp_out_of_tolerance',
      message: `The signature's timestamp is ${Math.abs(now - parsed.timestamp)} s from now (tolerance ${tolerance} s): a replay or a wrong clock`,
    });
  }
  for (const secret of secrets) {
    const expected = await computeSignature(secret, parsed.timestamp, options.payload);
    let match = false;
    // Compare against every entry (no early exit) so timing does not say which one matched.
    for (const signature of parsed.signatures) match = timingSafeEqual(expected, signature) || match;
    if (match) return { ok: true, timestamp: parsed.timestamp };
  }
  throw new WebhookSignatureError({
    reason: 'signature_mismatch',
    message:
      'No v1 signature matches the payload: wrong secret, or the body was changed (verify the raw body)',
  });
}
