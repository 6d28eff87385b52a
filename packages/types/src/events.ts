import { z } from 'zod';
import { BatchSchema, CallSchema } from './calls.js';
import { DateTimeSchema, UuidSchema } from './common.js';
import { AccountSchema } from './identity.js';
import { SmsSchema } from './messaging.js';
import { LeaseSchema, OrderSchema } from './numbers.js';

/** Every event type of CONTRACT §5. */
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
export const EventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventTypeSchema>;

/**
 * A subscription pattern: an exact type (`call.hangup`), a family (`call.*`, `tn.*`, `tn.order.*`) or `*`.
 * Unknown but well-formed types are allowed, so a client can subscribe to a type its server added later.
 */
export const EventPatternSchema = z
  .string()
  .max(64)
  .regex(/^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?)$/, {
    message: 'a pattern is an event type (call.hangup), a family (call.*) or *',
  });
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
export const CallflowStepSchema = z.object({
  index: z.number().int(),
  verb: z.string(),
  attributes: z.record(z.string(), z.string()),
  text: z.string().nullable().optional(),
  digits: z.string().nullable().optional(),
});
export const CallflowPayloadSchema = CallSchema.extend({ callflow: CallflowStepSchema });
export const RecordingPayloadSchema = CallSchema.extend({
  recording: z.object({ uuid: UuidSchema, duration: z.number().int(), url: z.string().nullable() }),
});
export const TranscriptPayloadSchema = CallSchema.extend({
  transcript: z.object({ text: z.string() }),
});

const eventBase = {
  uuid: UuidSchema,
  seq: z.number().int().min(1),
  account_id: UuidSchema,
  created_on: DateTimeSchema,
  ref_id: UuidSchema,
  message: z.string(),
};

function event<T extends EventType, P extends z.ZodType>(type: T, payload: P) {
  return z.object({ ...eventBase, type: z.literal(type), payload });
}

/** The event object, a discriminated union on `type` with the payload schema of each type. */
export const EventSchema = z.discriminatedUnion('type', [
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
]);
export type CallwireEvent = z.infer<typeof EventSchema>;
/** The event of one type: `EventOf<'call.hangup'>['payload']` is a `Call`. */
export type EventOf<T extends EventType> = Extract<CallwireEvent, { type: T }>;

/** Any well-formed event, whatever its type and payload: what a forward-compatible client accepts. */
export const UnknownEventSchema = z.object({ ...eventBase, type: z.string().min(1), payload: z.unknown() });
export type UnknownEvent = z.infer<typeof UnknownEventSchema>;

export type LenientEventResult =
  | { ok: true; known: true; event: CallwireEvent }
  | { ok: true; known: false; event: UnknownEvent; issues: z.core.$ZodIssue[] }
  | { ok: false; issues: z.core.$ZodIssue[] };

type EventOption = (typeof EventSchema.options)[number];

let compiledSchemas: { strict: typeof EventSchema; loose: typeof UnknownEventSchema } | undefined;
/** Each type's own schema, compiled on first use of that type. */
let byType: Map<string, { option: EventOption; parser: EventOption | undefined }> | undefined;

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

/**
 * The schema of one event type, picked by the `type` field rather than by trying the union: the
 * union's own lookup, its wrapper and its result object are skipped on the path every event takes.
 */
function schemaOfType(type: unknown): EventOption | undefined {
  if (typeof type !== 'string') return undefined;
  if (byType === undefined) {
    byType = new Map();
    for (const option of EventSchema.options) {
      byType.set(option.shape.type.value, { option, parser: undefined });
    }
  }
  const entry = byType.get(type);
  if (entry === undefined) return undefined;
  entry.parser ??= jitless() ? entry.option : (z.compile(entry.option) as EventOption);
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
export const EventPatternListQuerySchema = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
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
  });

/** `GET /rest/event?after_seq=&types=&take=`: read retained events back, in seq order. */
export const EventBackfillQuerySchema = z.strictObject({
  after_seq: z.coerce.number().int().min(0).default(0),
  types: EventPatternListQuerySchema.optional(),
  take: z.coerce.number().int().min(1).max(1000).default(100),
  account_id: UuidSchema.optional(),
});
export type EventBackfillQuery = z.input<typeof EventBackfillQuerySchema>;

/**
 * The backfill page. `last_seq` is the account's newest seq (whatever the filter), `oldest_seq` the
 * oldest retained one (null when none is retained): when `after_seq + 1 < oldest_seq` events in
 * between are gone, and `recovered` says so. `has_more` tells the reader to ask again from the
 * last returned seq.
 */
export const EventPageSchema = z.object({
  after_seq: z.number().int(),
  take: z.number().int(),
  last_seq: z.number().int(),
  oldest_seq: z.number().int().nullable(),
  recovered: z.boolean(),
  has_more: z.boolean(),
  data: z.array(UnknownEventSchema),
});
export type EventPage = z.infer<typeof EventPageSchema>;
