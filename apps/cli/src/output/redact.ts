/**
 * Redaction for anything the CLI prints about requests or errors. Secrets are removed by value (the
 * tokens and passwords this run knows) and by shape (Authorization schemes, token-looking JSON
 * fields), so a secret the CLI did not know about is still unlikely to reach a terminal or a log.
 */
const REDACTED = '[REDACTED]';

const SHAPES: RegExp[] = [
  /\b(Bearer|Basic|Integrator)\s+[A-Za-z0-9._~+/=-]+/gi,
  /("(?:token|refresh_token|password|secret|signing_secret|authorization|x-auth-token)"\s*:\s*")[^"]*(")/gi,
  /\b(whsec_)[A-Za-z0-9_-]+/g,
];

export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would redact random substrings; the shapes below still cover them in headers.
    if (secret && secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(SHAPES[0]!, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(SHAPES[1]!, (_m, head: string, tail: string) => `${head}${REDACTED}${tail}`);
  out = out.replace(SHAPES[2]!, (_m, prefix: string) => `${prefix}${REDACTED}`);
  return out;
}

const SECRET_HEADERS = new Set([
  'authorization',
  'x-auth-token',
  'cookie',
  'set-cookie',
  'proxy-authorization',
]);

/** Headers for --debug output, with credentials replaced. */
export function redactHeaders(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!SECRET_HEADERS.has(name.toLowerCase())) out.push([name, value]);
    else {
      const scheme = /^(\w+)\s/.exec(value)?.[1];
      out.push([name, scheme ? `${scheme} ${REDACTED}` : REDACTED]);
    }
  });
  return out;
}
