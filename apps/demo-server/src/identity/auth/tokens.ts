import { hash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer tokens: a kind prefix and 256 random bits. Only their SHA-256 is stored; a fast
 * one-shot hash is right for random secrets (nothing to brute-force) and keeps the hot path cheap.
 */
export const SESSION_TOKEN_PREFIX = 'cws_';
export const REFRESH_TOKEN_PREFIX = 'cwr_';
export const API_TOKEN_PREFIX = 'cwt_';

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return hash('sha256', token, 'base64url');
}

/**
 * The leading characters of a token (its kind prefix and 96 random bits): the key under which a
 * verified token is cached. The rest of the token is compared in constant time (see
 * {@link sameSecret}), so timing a cache lookup can reveal at most these characters.
 */
export function tokenSelector(token: string): string {
  return token.slice(0, SELECTOR_LENGTH);
}
const SELECTOR_LENGTH = 4 + 16;

/** Whether two secrets are equal, in a time that depends on their length only. */
export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
