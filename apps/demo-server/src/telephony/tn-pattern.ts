/**
 * Number patterns for inventory search and lease masks, matched against the 10-digit national
 * number (`2015550123`): `%` is exactly one digit, `*` any run of digits (possibly empty).
 * A pattern without `*` is a prefix (`201%55` → numbers starting 201, any digit, 55); a pattern
 * with `*` must match the whole number (`*233` → ending in 233, `201*9` → 201…9).
 */
export function patternToRegExp(pattern: string): RegExp {
  let p = pattern;
  // `+1…` names the NANP country code; so does a leading 1 in an 11-digit mask without `*`.
  if (p.startsWith('+1')) p = p.slice(2);
  else if (p.startsWith('+')) p = p.slice(1);
  else if (p.length >= 11 && p.startsWith('1') && !p.includes('*')) p = p.slice(1);
  const body = Array.from(p, (c) => (c === '%' ? '\\d' : c === '*' ? '\\d*' : c)).join('');
  return p.includes('*') ? new RegExp(`^${body}$`) : new RegExp(`^${body}`);
}

/** The national (10-digit) part of a NANP E.164 number. */
export function nationalNumber(e164: string): string {
  return e164.startsWith('+1') ? e164.slice(2) : e164.replace(/^\+/, '');
}

/** Last four digits: the simulated network decides a call's outcome by them. */
export function lastFour(e164: string): string {
  return e164.slice(-4);
}
