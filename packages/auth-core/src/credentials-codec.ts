import { base64ToBytes, bytesToBase64 } from './base64.js';

/**
 * The `<scheme> base64(id:secret)` codec shared by Basic (RFC 7617) and Integrator credentials.
 * The server parses every request's Authorization header with this code, so the parse path avoids
 * allocation it does not need: one pass over the header, one base64 decode, and a TextDecoder
 * only when a byte is outside ASCII.
 */

/** Longest header value accepted (the server's header line limit is 8 KiB). */
export const MAX_CREDENTIALS_HEADER_LENGTH = 8192;

/** Why an `Authorization` value could not be read: absent, too long, another scheme, not base64, not UTF-8, no colon, or a control character. */
export type CredentialsParseFailure =
  | 'missing'
  | 'too_long'
  | 'wrong_scheme'
  | 'malformed'
  | 'bad_base64'
  | 'bad_utf8'
  | 'missing_colon'
  | 'control_character';

export type ParsedCredentials =
  | { ok: true; id: string; secret: string }
  | { ok: false; reason: CredentialsParseFailure };

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** CTL of RFC 5234 (U+0000–U+001F, U+007F) plus the C1 controls (U+0080–U+009F): none is a legal credential character. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** `<scheme> base64(utf8(id) ":" utf8(secret))`; throws a TypeError naming the rule broken (never the value). */
export function encodeCredentials(
  scheme: string,
  id: string,
  secret: string,
  idName: string,
  secretName: string,
): string {
  if (typeof id !== 'string') throw new TypeError(`${idName} must be a string`);
  if (typeof secret !== 'string') throw new TypeError(`${secretName} must be a string`);
  if (id.includes(':')) {
    throw new TypeError(
      `${idName} must not contain a colon: the ${idName} ends at the first colon (RFC 7617 §2)`,
    );
  }
  if (hasControl(id)) throw new TypeError(`${idName} must not contain control characters (RFC 7617 §2)`);
  if (hasControl(secret))
    throw new TypeError(`${secretName} must not contain control characters (RFC 7617 §2)`);
  if (LONE_SURROGATE.test(id) || LONE_SURROGATE.test(secret)) {
    throw new TypeError(
      `${idName} and ${secretName} must be well-formed Unicode (a lone surrogate cannot be encoded as UTF-8)`,
    );
  }
  return `${scheme} ${bytesToBase64(utf8Encoder.encode(`${id}:${secret}`))}`;
}

function decodeBytes(bytes: Uint8Array): string | undefined {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] as number) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Parses `<scheme> <token68>` for the given scheme (compared case-insensitively, RFC 9110 §11.1).
 * Optional whitespace around the value is tolerated; anything after the token68 is refused.
 */
export function parseCredentials(value: string | null | undefined, scheme: string): ParsedCredentials {
  if (value == null || value.length === 0) return { ok: false, reason: 'missing' };
  if (value.length > MAX_CREDENTIALS_HEADER_LENGTH) return { ok: false, reason: 'too_long' };
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start++;
  while (end > start && isOws(value.charCodeAt(end - 1))) end--;
  if (start === end) return { ok: false, reason: 'missing' };

  const schemeEnd = start + scheme.length;
  if (schemeEnd > end || value.slice(start, schemeEnd).toLowerCase() !== scheme.toLowerCase()) {
    return { ok: false, reason: 'wrong_scheme' };
  }
  if (schemeEnd === end) return { ok: false, reason: 'malformed' };
  if (!isOws(value.charCodeAt(schemeEnd))) return { ok: false, reason: 'wrong_scheme' };
  let tokenStart = schemeEnd + 1;
  while (tokenStart < end && isOws(value.charCodeAt(tokenStart))) tokenStart++;
  for (let i = tokenStart; i < end; i++) {
    if (isOws(value.charCodeAt(i))) return { ok: false, reason: 'malformed' };
  }

  const bytes = base64ToBytes(value, tokenStart, end);
  if (bytes === undefined) return { ok: false, reason: 'bad_base64' };
  const text = decodeBytes(bytes);
  if (text === undefined) return { ok: false, reason: 'bad_utf8' };
  const colon = text.indexOf(':');
  if (colon < 0) return { ok: false, reason: 'missing_colon' };
  if (hasControl(text)) return { ok: false, reason: 'control_character' };
  return { ok: true, id: text.slice(0, colon), secret: text.slice(colon + 1) };
}
