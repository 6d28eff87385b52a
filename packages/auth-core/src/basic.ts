import { type CredentialsParseFailure, encodeCredentials, parseCredentials } from './credentials-codec.js';

/**
 * RFC 7617 Basic credentials. The user-id ends at the first colon, so a password may contain colons
 * and a user-id may not; both are UTF-8 (the `charset="UTF-8"` the server announces); control
 * characters are refused. Empty user-ids and passwords are syntactically valid: parsing accepts
 * them and the server answers 401 as for any wrong credentials.
 */

/** Why a Basic `Authorization` value could not be read. */
export type BasicParseFailure = CredentialsParseFailure;
/** A Basic `Authorization` value read back: the user-id and password, or why it could not be read. */
export type ParsedBasic =
  | { ok: true; username: string; password: string }
  | { ok: false; reason: BasicParseFailure };

/** The `Authorization` header value for a user-id and password: `Basic base64(utf8(user:pass))`. */
export function encodeBasic(username: string, password: string): string {
  return encodeCredentials('Basic', username, password, 'username', 'password');
}

/** Parses an `Authorization` header value; never throws. */
export function parseBasic(headerValue: string | null | undefined): ParsedBasic {
  const parsed = parseCredentials(headerValue, 'Basic');
  return parsed.ok ? { ok: true, username: parsed.id, password: parsed.secret } : parsed;
}
