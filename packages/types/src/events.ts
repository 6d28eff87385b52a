import * as z from 'zod/mini';
import { BatchSchema, CallSchema } from './calls.js';
import { DateTimeSchema, UuidSchema } from './common.js';
import { define } from './define.js';
import { dateTimeFormat, uuidFormat } from './format-schemas.js';
import { AccountSchema } from './identity.js';
import { SmsSchema } from './messaging.js';
import { LeaseSchema, OrderSchema } from './numbers.js';

/** Every event type this version knows. */
export const EVENT_TYPES = [
  'call.initiated',
  'call.ringing',
  'call.answered',
  'call.live',
  'call.bridged',
  'call.callflow',
  'call.hangup',
  'call.destroyed',
  'call.recording',
  'call.transcript',
  'sms.created',
  'sms.sent',
  'sms.delivered',
  'sms.failed',
  'sms.received',
  'tn.order.updated',
  'tn.updated',
  'tn.released',
  'account.balance.changed',
  'account.updated',
  'batch.updated',
] as const;
/** One of {@link EVENT_TYPES}. */
export const EventTypeSchema = define(() => z.enum(EVENT_TYPES));
/** The parsed form of {@link EventTypeSchema}. */
export type EventType = z.infer<typeof EventTypeSchema>;

/** A subscription pattern as a regular expression: `*`, an exact type, or a family ending in `.*`. */
export const EVENT_PATTERN = /^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?)$/;

/**
 * A subscription pattern: an exact type (`call.hangup`), a family (`call.*`, `tn.*`, `tn.order.*`) or `*`.
 * Unknown but well-formed types are allowed, so a client can subscribe to a type its server added later.
 */
export const EventPatternSchema = define(() =>
  z.string().check(
    z.maxLength(64),
    z.regex(EVENT_PATTERN, {
      message: 'a pattern is an event type (call.hangup), a family (call.*) or *',
    }),
  ),
);
/** Whether `value` is a subscription pattern that {@link EventPatternSchema} accepts (no schema needed). */
export function isEventPattern(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && EVENT_PATTERN.test(value);
}
/** The parsed form of {@link EventPatternSchema}. */
export type EventPattern = z.infer<typeof EventPatternSchema>;

/** Whether `type` is selected by `pattern` (`*`, `call.*`, or the exact type). */
export function matchesEventPattern(type: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return type === pattern;
}

/** Whether any of `patterns` selects `type`. */
export function matchesAnyEventPattern(type: string, patterns: readonly string[]): boolean {
  for (const p of patterns) if (matchesEventPattern(type, p)) return true;
  return false;
}

/** One step of a call flow as the simulator executed it (`call.callflow`). */
export const CallflowStepSchema = define(() =>
  z.object({
    index: z.int(),
    verb: z.string(),
    attributes: z.record(z.string(), z.string()),
    text: z.optional(z.nullable(z.string())),
    digits: z.optional(z.nullable(z.string())),
  }),
);
/** The payload of `call.callflow`: the call and the step it just ran. */
export const CallflowPayloadSchema = define(() => z.extend(CallSchema, { callflow: CallflowStepSchema }));
/** The payload of `call.recording`: the call and its recording. */
export const RecordingPayloadSchema = define(() =>
  z.extend(CallSchema, {
    recording: z.object({ uuid: UuidSchema, duration: z.int(), url: z.nullable(z.string()) }),
  }),
);
/** The payload of `call.transcript`: the call and what was said. */
export const TranscriptPayloadSchema = define(() =>
  z.extend(CallSchema, { transcript: z.object({ text: z.string() }) }),
);

const eventBase = define(() => ({
  uuid: UuidSchema,
  seq: z.int().check(z.gte(1)),
  account_id: UuidSchema,
  created_on: DateTimeSchema,
  ref_id: UuidSchema,
  message: z.string(),
}));

function event<T extends EventType, P extends z.ZodMiniType>(type: T, payload: P) {
  return z.object({ ...eventBase, type: z.literal(type), payload });
}

/** The event object, a discriminated union on `type` with the payload schema of each type. */
export const EventSchema = define(() =>
  z.discriminatedUnion('type', [
    event('call.initiated', CallSchema),
    event('call.ringing', CallSchema),
    event('call.answered', CallSchema),
    event('call.live', CallSchema),
    event('call.bridged', CallSchema),
    event('call.callflow', CallflowPayloadSchema),
    event('call.hangup', CallSchema),
    event('call.destroyed', CallSchema),
    event('call.recording', RecordingPayloadSchema),
    event('call.transcript', TranscriptPayloadSchema),
    event('sms.created', SmsSchema),
    event('sms.sent', SmsSchema),
    event('sms.delivered', SmsSchema),
    event('sms.failed', SmsSchema),
    event('sms.received', SmsSchema),
    event('tn.order.updated', OrderSchema),
    event('tn.updated', LeaseSchema),
    event('tn.released', LeaseSchema),
    event('account.balance.changed', AccountSchema),
    event('account.updated', AccountSchema),
    event('batch.updated', BatchSchema),
  ]),
);
/** The parsed form of {@link EventSchema}. */
export type CallwireEvent = z.infer<typeof EventSchema>;
/** The event of one type: `EventOf<'call.hangup'>['payload']` is a `Call`. */
export type EventOf<T extends EventType> = Extract<CallwireEvent, { type: T }>;

/** Any well-formed event, whatever its type and payload: what a forward-compatible client accepts. */
export const UnknownEventSchema = define(() =>
  z.object({ ...eventBase, type: z.string().check(z.minLength(1)), payload: z.unknown() }),
);
/** The parsed form of {@link UnknownEventSchema}. */
export type UnknownEvent = z.infer<typeof UnknownEventSchema>;

/**
 * What {@link parseEventLenient} made of an input: a known event, an event this version does not
 * know (with the issues that kept it from being known), or not an event at all.
 */
export type LenientEventResult =
  | { ok: true; known: true; event: CallwireEvent }
  | { ok: true; known: false; event: UnknownEvent; issues: z.core.$ZodIssue[] }
  | { ok: false; issues: z.core.$ZodIssue[] };

type EventOption = (typeof EventSchema._zod.def.options)[number];

let compiledSchemas: { strict: typeof EventSchema; loose: typeof UnknownEventSchema } | undefined;
/** Each type's own schema, compiled on first use of that type. */
let byType: Map<string, { option: EventOption; parser: EventOption | undefined }> | undefined;
/** The known type {@link schemaOfType} answered last, and its schema. */
let lastType: string | undefined;
let lastSchema: EventOption | undefined;

function jitless(): boolean {
  return z.config().jitless === true;
}

/**
 * Clients parse every event, so {@link parseEventLenient} runs zod's generated parser (`z.compile`),
 * about three times faster than the interpreter on a valid event. It returns the same stripped output,
 * and on any failure it hands the input to the interpreter, so the issues are the same too. Compiled
 * on first use (importing stays free), and never when the app set zod's `jitless` (no `new Function`
 * under a strict CSP); where `new Function` throws, zod keeps the interpreter.
 */
function compiled(): { strict: typeof EventSchema; loose: typeof UnknownEventSchema } {
  if (compiledSchemas === undefined) {
    compiledSchemas = jitless()
      ? { strict: EventSchema, loose: UnknownEventSchema }
      : { strict: z.compile(EventSchema), loose: z.compile(UnknownEventSchema) };
  }
  return compiledSchemas;
}

/** The formats of {@link freshFields}, made on first use. */
let fresh: { uuid: ReturnType<typeof uuidFormat>; created_on: ReturnType<typeof dateTimeFormat> } | undefined;

/**
 * Each event's own id and time, which no other event repeats: parsing checks them with formats that
 * do not remember recent values (see `withCheck`), as looking an always-new value up among them and
 * storing it only costs. The same formats otherwise; the exported schemas, and the JSON Schema made
 * from them, keep the shared ones.
 */
function freshFields() {
  fresh ??= { uuid: uuidFormat(false), created_on: dateTimeFormat(false) };
  return fresh;
}

/**
 * The schema of one event type, picked by the `type` field rather than by trying the union: the
 * union's own lookup, its wrapper and its result object are skipped on the path every event takes.
 */
function schemaOfType(type: unknown): EventOption | undefined {
  // A stream of one type (most) compares each event's type with the last one instead of hashing it.
  if (type === lastType) return lastSchema;
  if (typeof type !== 'string') return undefined;
  if (byType === undefined) {
    byType = new Map();
    for (const option of EventSchema._zod.def.options) {
      byType.set(option.shape.type._zod.def.values[0] as string, { option, parser: undefined });
    }
  }
  const entry = byType.get(type);
  if (entry === undefined) return undefined;
  if (entry.parser === undefined) {
    const parsing = z.extend(entry.option, freshFields()) as EventOption;
    entry.parser = jitless() ? parsing : (z.compile(parsing) as EventOption);
  }
  lastType = type;
  lastSchema = entry.parser;
  return entry.parser;
}

/**
 * Parses an event without failing on what this version does not know: an unknown type, or a known
 * type whose payload changed shape, comes back as `known: false` with the raw payload. Only an
 * envelope that is not an event at all (`seq`, `type` … missing) fails. Servers validate strictly
 * with {@link EventSchema}; clients use this.
 */
export function parseEventLenient(input: unknown): LenientEventResult {
  const own = schemaOfType((input as { type?: unknown } | null | undefined)?.type);
  // A known type is checked against its own schema (the union would pick the same one, with the
  // same issues); anything else goes through the union, for its issue about the type.
  const strict = (own ?? compiled().strict).safeParse(input);
  if (strict.success) return { ok: true, known: true, event: strict.data as CallwireEvent };
  const loose = compiled().loose.safeParse(input);
  if (loose.success) return { ok: true, known: false, event: loose.data, issues: strict.error.issues };
  return { ok: false, issues: loose.error.issues };
}

/** Comma-separated patterns in a query string (`types=call.*,sms.delivered`). */
export const EventPatternListQuerySchema = define(() =>
  z.pipe(
    z.string().check(z.maxLength(2048)),
    z.transform((value: string, ctx) => {
      const parts = value
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
      for (const p of parts) {
        if (!EventPatternSchema.safeParse(p).success) {
          ctx.issues.push({
            code: 'custom',
            message: `"${p.slice(0, 64)}" is not an event pattern`,
            input: value,
          });
          return z.NEVER;
        }
      }
      return parts;
    }),
  ),
);

/** `GET /rest/event?after_seq=&types=&take=`: read retained events back, in seq order. */
export const EventBackfillQuerySchema = define(() =>
  z.strictObject({
    after_seq: z._default(z.coerce.number().check(z.int(), z.gte(0)), 0),
    types: z.optional(EventPatternListQuerySchema),
    take: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 100),
    account_id: z.optional(UuidSchema),
  }),
);
/** What {@link EventBackfillQuerySchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type EventBackfillQuery = z.input<typeof EventBackfillQuerySchema>;

/**
 * The backfill page. `last_seq` is the account's newest seq (whatever the filter), `oldest_seq` the
 * oldest retained one (null when none is retained): when `after_seq + 1 < oldest_seq` events in
 * between are gone, and `recovered` says so. `has_more` tells the reader to ask again from the
 * last returned seq.
 */
export const EventPageSchema = define(() =>
  z.object({
    after_seq: z.int(),
    take: z.int(),
    last_seq: z.int(),
    oldest_seq: z.nullable(z.int()),
    recovered: z.boolean(),
    has_more: z.boolean(),
    data: z.array(UnknownEventSchema),
  }),
);
/** The parsed form of {@link EventPageSchema}. */
export type EventPage = z.infer<typeof EventPageSchema>;
