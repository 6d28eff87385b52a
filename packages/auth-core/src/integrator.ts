import { type CredentialsParseFailure, encodeCredentials, parseCredentials } from './credentials-codec.js';

/** Integrator credentials: `Integrator base64(app_key:secret)`, same rules as RFC 7617 Basic. */

/** An `Integrator` `Authorization` value read back: the app key and secret, or why it could not be read. */
export type ParsedIntegrator =
  | { ok: true; appKey: string; secret: string }
  | { ok: false; reason: CredentialsParseFailure };

/** The `Authorization` header value for an integrator app key and secret: `Integrator base64(utf8(app_key:secret))`. */
export function encodeIntegrator(appKey: string, secret: string): string {
  return encodeCredentials('Integrator', appKey, secret, 'appKey', 'secret');
}

/** Parses an `Integrator` `Authorization` header value; never throws. */
export function parseIntegrator(headerValue: string | null | undefined): ParsedIntegrator {
  const parsed = parseCredentials(headerValue, 'Integrator');
  return parsed.ok ? { ok: true, appKey: parsed.id, secret: parsed.secret } : parsed;
}
