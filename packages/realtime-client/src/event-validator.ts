import { type CallwireEvent, EVENT_TYPES, type LenientEventResult } from '@callwire/types';
import type { UnknownEventNotice } from './event-types.js';
import type { RawEvent } from './subscription.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const MAX_ISSUES = 5;

/**
 * Turns a raw event into a typed one, or into the notice `onUnknown` gets: an unknown type, or (when
 * validating) a known type whose payload does not match this version's schema. The schemas come
 * from the app (`validate: parseEventLenient`), so an app that does not validate bundles none.
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

// The last type found known: a stream of one type (most) then skips hashing each event's freshly
// parsed type string, which cost more than comparing it with the last one.
let lastKnown: string | undefined;

function typeOnly(raw: RawEvent): CallwireEvent | UnknownEventNotice {
  const type = raw.type;
  if (type === lastKnown) return raw as unknown as CallwireEvent;
  if (!KNOWN_TYPES.has(type)) return notice(raw, []);
  lastKnown = type;
  return raw as unknown as CallwireEvent;
}

/** With `parse` (such as `parseEventLenient`) every event is checked against its type's schema; without, only that the type is known. */
export function createEventValidator(
  parse: ((event: unknown) => LenientEventResult) | undefined,
): EventValidator {
  if (parse === undefined) return typeOnly;
  return (raw) => {
    const result = parse(raw);
    if (result.ok && result.known) return result.event;
    return notice(raw, result.issues);
  };
}
