import * as z from 'zod/mini';
import {
  CreatedWindowShape,
  DateOnlySchema,
  DateTimeSchema,
  E164Schema,
  MoneySchema,
  PhoneNumberSchema,
  UuidSchema,
} from './common.js';
import { define } from './define.js';
import { DirectionSchema } from './messaging.js';

/** Where a call is in its life: `init` → `ringing` → `live` → `hangup` → `destroyed`. */
export const CallStateSchema = define(() => z.enum(['init', 'ringing', 'live', 'hangup', 'destroyed']));
/** The parsed form of {@link CallStateSchema}. */
export type CallState = z.infer<typeof CallStateSchema>;

/** A call with the time it entered each state and its Q.850 hangup cause. */
export const CallSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    direction: DirectionSchema,
    from: E164Schema,
    to: E164Schema,
    state: CallStateSchema,
    duration: z.int(),
    init_on: DateTimeSchema,
    ring_on: z.nullable(DateTimeSchema),
    answer_on: z.nullable(DateTimeSchema),
    hangup_on: z.nullable(DateTimeSchema),
    destroy_on: z.nullable(DateTimeSchema),
    q850_cause: z.nullable(z.int()),
    q850_cause_string: z.nullable(z.string()),
    parent: z.nullable(UuidSchema),
    batch: z.nullable(UuidSchema),
    bridged_with: z.optional(z.nullable(UuidSchema)),
    cost: z.optional(MoneySchema),
  }),
);
/** The parsed form of {@link CallSchema}. */
export type Call = z.infer<typeof CallSchema>;

const callFlowShape = define(() => ({
  call_flow_xml: z.optional(z.string().check(z.maxLength(65536))),
  call_flow_url: z.optional(z.url()),
}));

/** `POST /rest/call`: dials `to` from `from` and runs the call flow when answered. */
export const CreateCallRequestSchema = define(() =>
  z.strictObject({
    from: PhoneNumberSchema,
    to: PhoneNumberSchema,
    ...callFlowShape,
    timeout_secs: z.optional(z.int().check(z.gte(1), z.lte(300))),
    /** How long the simulated callee talks before hanging up (default 5). */
    talk_secs: z.optional(z.int().check(z.gte(0), z.lte(86400))),
  }),
);
/** What {@link CreateCallRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type CreateCallRequest = z.input<typeof CreateCallRequestSchema>;

/** `POST /rest/call/bridge`: connects two live calls. */
export const BridgeCallsRequestSchema = define(() =>
  z.strictObject({ call_a: UuidSchema, call_b: UuidSchema }),
);
/** The parsed form of {@link BridgeCallsRequestSchema}. */
export type BridgeCallsRequest = z.infer<typeof BridgeCallsRequestSchema>;

/** `POST /rest/call/search` body: every field narrows the result. */
export const CallSearchRequestSchema = define(() =>
  z.strictObject({
    direction: z.optional(DirectionSchema),
    from: z.optional(PhoneNumberSchema),
    to: z.optional(PhoneNumberSchema),
    state: z.optional(CallStateSchema),
    batch: z.optional(UuidSchema),
    ...CreatedWindowShape,
  }),
);
/** What {@link CallSearchRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type CallSearchRequest = z.input<typeof CallSearchRequestSchema>;

/** `POST /rest/batch`: calls every phone from `from`, `concurrency` at a time (default 10). */
export const CreateBatchRequestSchema = define(() =>
  z.strictObject({
    from: PhoneNumberSchema,
    phones: z
      .array(PhoneNumberSchema)
      .check(z.minLength(1), z.maxLength(10000, { message: 'a batch holds at most 10000 phones' })),
    ...callFlowShape,
    concurrency: z._default(z.int().check(z.gte(1), z.lte(100)), 10),
    talk_secs: z.optional(z.int().check(z.gte(0), z.lte(86400))),
  }),
);
/** What {@link CreateBatchRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type CreateBatchRequest = z.input<typeof CreateBatchRequestSchema>;

/** Where a batch is: `created` → `processing` → `completed` (or `failed`). */
export const BatchStateSchema = define(() => z.enum(['created', 'processing', 'completed', 'failed']));
/** A batch of calls and how far it got. */
export const BatchSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    state: BatchStateSchema,
    from: z.optional(E164Schema),
    total: z.int(),
    completed: z.int(),
    failed: z.int(),
    concurrency: z.optional(z.int()),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link BatchSchema}. */
export type Batch = z.infer<typeof BatchSchema>;

/** Click-to-call: dial `caller` first; when answered, dial `callee` and bridge them. */
export const OriginateRequestSchema = define(() =>
  z.strictObject({
    caller: PhoneNumberSchema,
    callee: PhoneNumberSchema,
    from: z.optional(PhoneNumberSchema),
  }),
);
/** What {@link OriginateRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type OriginateRequest = z.input<typeof OriginateRequestSchema>;
/** A click-to-call in progress: the caller's call, then the callee's once dialled. */
export const OriginateSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    caller_call: UuidSchema,
    callee_call: z.nullable(UuidSchema),
    state: z.string(),
  }),
);
/** The parsed form of {@link OriginateSchema}. */
export type Originate = z.infer<typeof OriginateSchema>;

/** Rapid response: call `callee`, speak `whisper_text`, then connect `agent`. */
export const RapidResponseRequestSchema = define(() =>
  z.strictObject({
    callee: PhoneNumberSchema,
    whisper_text: z.string().check(z.minLength(1), z.maxLength(1000)),
    agent: PhoneNumberSchema,
  }),
);
/** What {@link RapidResponseRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type RapidResponseRequest = z.input<typeof RapidResponseRequestSchema>;
/** A queued rapid response and its progress. */
export const RapidResponseSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    queue_status: z.enum(['processing', 'completed', 'failed']),
    callee: E164Schema,
    whisper_text: z.string(),
    agent: z.optional(E164Schema),
  }),
);
/** The parsed form of {@link RapidResponseSchema}. */
export type RapidResponse = z.infer<typeof RapidResponseSchema>;

/** `GET /rest/reports/call-data`: inclusive dates in the account's time zone, at most 93 days. */
export const CallDataQuerySchema = define(() =>
  z.strictObject({
    start_date: DateOnlySchema,
    end_date: DateOnlySchema,
    account_id: z.optional(UuidSchema),
  }),
);
/** The parsed form of {@link CallDataQuerySchema}. */
export type CallDataQuery = z.infer<typeof CallDataQuerySchema>;

/** One call of the call-data report, with what it was billed. */
export const CallDataRecordSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    direction: DirectionSchema,
    from: E164Schema,
    to: E164Schema,
    started_on: DateTimeSchema,
    answered_on: z.nullable(DateTimeSchema),
    ended_on: z.nullable(DateTimeSchema),
    duration: z.int(),
    billable_seconds: z.int(),
    cost: MoneySchema,
    q850_cause: z.nullable(z.int()),
    state: CallStateSchema,
  }),
);
/** The parsed form of {@link CallDataRecordSchema}. */
export type CallDataRecord = z.infer<typeof CallDataRecordSchema>;

/** `POST /rest/simulate/call` (demo server only): an inbound call from the outside world. */
export const SimulateCallRequestSchema = define(() =>
  z.strictObject({
    from: PhoneNumberSchema,
    to: PhoneNumberSchema,
    talk_secs: z.optional(z.int().check(z.gte(0), z.lte(86400))),
  }),
);
/** What {@link SimulateCallRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type SimulateCallRequest = z.input<typeof SimulateCallRequestSchema>;
