import { type CallwireEvent, EVENT_TYPES, parseEventLenient } from '@callwire/types';
import type { UnknownEventNotice } from './event-types.js';
import type { RawEvent } from './subscription.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const MAX_ISSUES = 5;

/**
 * Turns a raw event into a typed one, or into the notice `onUnknown` gets: an unknown type, or (when
 * validating) a known type whose payload does not match this version's schema. The only place this
 * package touches event schemas.
 */
export type EventValidator = (raw: RawEvent) => CallwireEvent | UnknownEventNotice;

export function isUnknownNotice(result: CallwireEvent | UnknownEventNotice): result is UnknownEventNotice {
  return (result as Partial<UnknownEventNotice>).knownType !== undefined;
}

function notice(
  raw: RawEvent,
  issues: readonly { message: string; path: PropertyKey[] }[],
): UnknownEventNotice {
  return {
    event: raw as unknown as UnknownEventNotice['event'],
    knownType: KNOWN_TYPES.has(raw.type),
    issues: issues
      .slice(0, MAX_ISSUES)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`),
  };
}

function validated(raw: RawEvent): CallwireEvent | UnknownEventNotice {
  const result = parseEventLenient(raw);
  if (result.ok && result.known) return result.event;
  return notice(raw, result.issues);
}

function typeOnly(raw: RawEvent): CallwireEvent | UnknownEventNotice {
  return KNOWN_TYPES.has(raw.type) ? (raw as unknown as CallwireEvent) : notice(raw, []);
}

/** `validate: true` checks every event against its type's schema; `false` only that the type is known. */
export function createEventValidator(validate: boolean): EventValidator {
  return validate ? validated : typeOnly;
}
