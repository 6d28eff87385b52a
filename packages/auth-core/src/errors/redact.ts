/**
 * Redaction: credentials must never reach an error message, `toJSON()` or a log line. Callers
 * paste error output into issues and chat, so anything that might hold a secret is masked at the
 * edge where text is produced, not trusted to every caller.
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are credentials (lower case). */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-auth-token',
  'x-api-key',
  'cookie',
  'set-cookie',
]);

/** Headers in any of the shapes `fetch`, Node and plain objects use. */
export type HeadersLike =
  | Headers
  | Record<string, string | readonly string[] | number | undefined>
  | Iterable<readonly [string, string]>;

function redactHeaderValue(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name)) return value;
  // Keep the scheme ("Bearer", "Basic", "Integrator"): it helps debugging and reveals nothing.
  if (name === 'authorization' || name === 'proxy-authorization') {
    const space = value.indexOf(' ');
    if (space > 0) return `${value.slice(0, space)} ${REDACTED}`;
  }
  return REDACTED;
}

/** A plain copy of `headers` with credential headers masked; names are lower-cased. */
export function redactHeaders(headers: HeadersLike | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers == null) return out;
  const add = (name: string, value: string) => {
    const lower = name.toLowerCase();
    out[lower] = redactHeaderValue(lower, value);
  };
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    headers.forEach((value, name) => {
      add(name, value);
    });
  } else if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) add(name, value);
  } else {
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      add(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
  }
  return out;
}

// Credentials as they can appear inside free text: auth headers, JSON or form fields, URL query.
// The lookahead keeps challenges readable (`Basic realm="callwire"`, `Bearer error="invalid_token"`).
const SCHEME_PATTERN =
  /\b(Basic|Bearer|Integrator|Token)(\s+)(?!(?:realm|charset|error|error_description|scope)=)([A-Za-z0-9\-._~+/]+=*)/gi;

/**
 * Basic and Integrator values are always credentials. After `Bearer`/`Token` a plain short word
 * ("Bearer token expired") is prose; anything with a digit or punctuation, or long, is a token.
 */
function maskScheme(match: string, scheme: string, space: string, value: string): string {
  const always = /^(basic|integrator)$/i.test(scheme);
  if (always || value.length >= 16 || /[\d\-._~+/=]/.test(value)) return `${scheme}${space}${REDACTED}`;
  return match;
}
const JSON_FIELD_PATTERN =
  /("(?:password|secret|token|refresh_token|access_token|signing_secret|app_secret|api_key|authorization|x-auth-token)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const FORM_FIELD_PATTERN =
  /\b(password|secret|token|refresh_token|access_token|signing_secret|api_key|jwt|bearer)=([^&\s"']+)/gi;
const HEADER_LINE_PATTERN = /\b(x-auth-token|x-api-key|cookie)(\s*:\s*)[^\r\n,]+/gi;
const WHSEC_PATTERN = /\bwhsec_[A-Za-z0-9]+/g;

/** Masks anything in `text` that looks like a credential. Cheap enough to run on every error message. */
export function redactSecrets(text: string): string {
  return text
    .replace(SCHEME_PATTERN, maskScheme)
    .replace(JSON_FIELD_PATTERN, `$1"${REDACTED}"`)
    .replace(FORM_FIELD_PATTERN, `$1=${REDACTED}`)
    .replace(HEADER_LINE_PATTERN, `$1$2${REDACTED}`)
    .replace(WHSEC_PATTERN, REDACTED);
}

const SECRET_KEY =
  /^(password|secret|token|refresh_token|refreshToken|access_token|accessToken|signing_secret|api_key|apiKey|appSecret|authorization|x-auth-token|cookie)$/i;

/**
 * A deep copy of a JSON-like value with credential fields masked by name and secret-looking
 * strings masked by content. For structured log metadata.
 */
export function redactObject(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map((item) => redactObject(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    if (typeof Headers !== 'undefined' && value instanceof Headers) return redactHeaders(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) && item != null ? REDACTED : redactObject(item, depth + 1);
    }
    return out;
  }
  return value;
}
