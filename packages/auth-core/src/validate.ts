/** Option checks shared by the strategies: fail at construction, with the option's name, never its value. */

export function validateAccountId(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 128 || /[\s,]/.test(value)) {
    throw new TypeError(`${name} must be an account uuid`);
  }
}

export function validateFunction(value: unknown, name: string): void {
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function`);
}

export function validatePositiveNumber(value: unknown, name: string): void {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a positive number`);
  }
}

/** A bearer-like credential: non-empty, no whitespace or control characters (it goes into a header). */
export function validateToken(value: unknown, name: string): asserts value is string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 4096 ||
    !/^[\x21-\x7e]+$/.test(value)
  ) {
    throw new TypeError(`${name} must be a non-empty string of visible ASCII characters`);
  }
}

/** `rejected` may be the token itself or the whole header value (`Bearer …`). */
export function bearerFrom(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return /^bearer\s/i.test(trimmed) ? trimmed.slice(7).trim() : trimmed;
}
