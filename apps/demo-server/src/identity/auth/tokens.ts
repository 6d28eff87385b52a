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
