/**
 * Strict base64 (RFC 4648 §4, padded) without Buffer, so it runs in browsers. Hand-rolled rather
 * than atob/btoa: those work on Latin-1 strings (an extra copy to reach UTF-8 bytes) and atob
 * silently accepts whitespace and missing padding, which an auth header parser must refuse.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (DECODE[code] as number) : -1;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  const full = bytes.length - (bytes.length % 3);
  for (let i = 0; i < full; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = (bytes[full] as number) << 16;
    out += `${ALPHABET[n >>> 18]!}${ALPHABET[(n >>> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = ((bytes[full] as number) << 16) | ((bytes[full + 1] as number) << 8);
    out += `${ALPHABET[n >>> 18]!}${ALPHABET[(n >>> 12) & 63]!}${ALPHABET[(n >>> 6) & 63]!}=`;
  }
  return out;
}

/**
 * Decodes `text.slice(start, end)`; undefined unless it is canonical padded base64 (length a
 * multiple of 4, `=` only at the end, unused trailing bits zero).
 */
export function base64ToBytes(text: string, start = 0, end = text.length): Uint8Array | undefined {
  const length = end - start;
  if (length === 0 || length % 4 !== 0) return undefined;
  let padding = 0;
  if (text.charCodeAt(end - 1) === 61) padding = text.charCodeAt(end - 2) === 61 ? 2 : 1;
  const bytes = new Uint8Array((length / 4) * 3 - padding);
  let o = 0;
  const lastQuad = end - 4;
  for (let i = start; i < lastQuad; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[o++] = n >>> 16;
    bytes[o++] = (n >>> 8) & 255;
    bytes[o++] = n & 255;
  }
  const a = sextet(text, lastQuad);
  const b = sextet(text, lastQuad + 1);
  if ((a | b) < 0) return undefined;
  if (padding === 2) {
    if ((b & 15) !== 0) return undefined;
    bytes[o] = (a << 2) | (b >>> 4);
    return bytes;
  }
  const c = sextet(text, lastQuad + 2);
  if (c < 0) return undefined;
  if (padding === 1) {
    if ((c & 3) !== 0) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6);
    bytes[o++] = n >>> 16;
    bytes[o] = (n >>> 8) & 255;
    return bytes;
  }
  const d = sextet(text, lastQuad + 3);
  if (d < 0) return undefined;
  const n = (a << 18) | (b << 12) | (c << 6) | d;
  bytes[o++] = n >>> 16;
  bytes[o++] = (n >>> 8) & 255;
  bytes[o] = n & 255;
  return bytes;
}
