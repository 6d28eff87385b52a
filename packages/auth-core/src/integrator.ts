import { type CredentialsParseFailure, encodeCredentials, parseCredentials } from './credentials-codec.js';

/** Integrator credentials (CONTRACT §3): `Integrator base64(app_key:secret)`, same rules as RFC 7617. */

export type ParsedIntegrator =
  | { ok: true; appKey: string; secret: string }
  | { ok: false; reason: CredentialsParseFailure };

export function encodeIntegrator(appKey: string, secret: string): string {
  return encodeCredentials('Integrator', appKey, secret, 'appKey', 'secret');
}

export function parseIntegrator(headerValue: string | null | undefined): ParsedIntegrator {
  const parsed = parseCredentials(headerValue, 'Integrator');
  return parsed.ok ? { ok: true, appKey: parsed.id, secret: parsed.secret } : parsed;
}
