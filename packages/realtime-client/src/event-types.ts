import type { CallwireEvent, EventOf, EventType, UnknownEvent } from '@callwire/types';

/** Every dotted prefix of an event type: `tn.order.updated` gives `tn` and `tn.order`. */
export type EventTypePrefixes<T extends string> = T extends `${infer Head}.${infer Tail}`
  ? Head | `${Head}.${EventTypePrefixes<Tail>}`
  : never;

/** `call.*`, `sms.*`, `tn.*`, `tn.order.*`, … */
export type EventFamilyPattern = `${EventTypePrefixes<EventType>}.*`;

/** Every pattern the contract knows: an exact type, a family, or `*`. */
export type KnownEventPattern = EventType | EventFamilyPattern | '*';

/**
 * What a pattern selects, as a type: `call.hangup` → that event; `call.*` → every call event;
 * `*` (or a pattern this version does not know) → any event.
 */
export type EventForPattern<P extends string> = P extends '*'
  ? CallwireEvent
  : P extends EventType
    ? EventOf<P>
    : P extends `${infer Family}.*`
      ? Extract<CallwireEvent, { type: `${Family}.${string}` }>
      : CallwireEvent;

/** A handler; the client awaits it before the next event and before advancing the cursor. */
export type EventHandler<E> = (event: E) => void | Promise<void>;

/**
 * An event that did not pass this version's schema: an unknown type, or a known type whose payload
 * changed shape. Delivered raw to `onUnknown` handlers so that nothing disappears silently.
 */
export interface UnknownEventNotice {
  event: UnknownEvent;
  /** True when the type is one this version knows but the payload did not validate. */
  knownType: boolean;
  /** The schema's complaint, for logs. */
  issues: string[];
}
