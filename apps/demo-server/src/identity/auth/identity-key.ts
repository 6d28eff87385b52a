/**
 * The one key under which an identity is looked up, counted and limited: the e-mail (or integrator
 * app key) trimmed of surrounding whitespace and case-folded. Every door, every failure counter and
 * every user lookup goes through it, so `' Alice@Example.com'` is the same identity as
 * `alice@example.com` everywhere: a variant can neither sign in where the original could not nor
 * earn fresh tries against a lockout.
 */
export function identityKey(id: string): string {
  return id.trim().toLowerCase();
}
