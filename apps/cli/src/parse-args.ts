import { InvalidArgumentError } from 'commander';

/**
 * Argument parsers for commander. They throw InvalidArgumentError, which commander reports as a
 * usage error (exit 2) naming the option, before any request is made.
 */

export function parsePositiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

/** Requests in flight at once for bulk commands: enough to be quick, few enough not to be rate limited. */
export function parseConcurrency(value: string): number {
  const n = parsePositiveInt(value);
  if (n > 50) throw new InvalidArgumentError('must be 50 or less');
  return n;
}

export function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
}

/** `YYYY-MM-DD` that is a real calendar date. */
export function parseDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new InvalidArgumentError('must be a date as YYYY-MM-DD');
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError(`${value} is not a calendar date`);
  }
  return value;
}

const PATTERN = /^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?)$/;

/** `call.*,sms.delivered` → ['call.*', 'sms.delivered']; each must be a type, a family (x.*) or *. */
export function parseEventTypes(value: string): string[] {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) throw new InvalidArgumentError('give at least one event type or pattern');
  for (const p of parts) {
    if (!PATTERN.test(p))
      throw new InvalidArgumentError(`"${p}" is not an event type or pattern (call.hangup, call.*, *)`);
  }
  return parts;
}

/** An http(s) URL. */
export function parseHttpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be a URL such as http://localhost:3000/webhook');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('must be http or https');
  return url.toString();
}

/** `voice,sms` → ['voice', 'sms']. */
export function parseFeatures(value: string): ('voice' | 'sms')[] {
  const parts = value
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  for (const p of parts)
    if (p !== 'voice' && p !== 'sms') throw new InvalidArgumentError('features are voice and/or sms');
  return [...new Set(parts)] as ('voice' | 'sms')[];
}

/** A phone number as people type it; the server normalises, here we only refuse obvious junk early. */
export function parsePhone(value: string): string {
  const trimmed = value.trim();
  if (!/^\+?[\d\s().-]{7,32}$/.test(trimmed)) {
    throw new InvalidArgumentError('must be a phone number such as +12015550123 or 2015550123');
  }
  return trimmed;
}
