import { z } from 'zod';
import {
  CreatedWindowShape,
  DateOnlySchema,
  DateTimeSchema,
  E164Schema,
  MoneySchema,
  PhoneNumberSchema,
  UuidSchema,
} from './common.js';
import { DirectionSchema } from './messaging.js';

export const CallStateSchema = z.enum(['init', 'ringing', 'live', 'hangup', 'destroyed']);
export type CallState = z.infer<typeof CallStateSchema>;

/** A call with its per-state timestamps (seed 003's events) and its Q.850 hangup cause. */
export const CallSchema = z.object({
  uuid: UuidSchema,
  direction: DirectionSchema,
  from: E164Schema,
  to: E164Schema,
  state: CallStateSchema,
  duration: z.number().int(),
  init_on: DateTimeSchema,
  ring_on: DateTimeSchema.nullable(),
  answer_on: DateTimeSchema.nullable(),
  hangup_on: DateTimeSchema.nullable(),
  destroy_on: DateTimeSchema.nullable(),
  q850_cause: z.number().int().nullable(),
  q850_cause_string: z.string().nullable(),
  parent: UuidSchema.nullable(),
  batch: UuidSchema.nullable(),
  bridged_with: UuidSchema.nullable().optional(),
  cost: MoneySchema.optional(),
});
export type Call = z.infer<typeof CallSchema>;

const callFlowShape = {
  call_flow_xml: z.string().max(65536).optional(),
  call_flow_url: z.url().optional(),
};

export const CreateCallRequestSchema = z.strictObject({
  from: PhoneNumberSchema,
  to: PhoneNumberSchema,
  ...callFlowShape,
  timeout_secs: z.number().int().min(1).max(300).optional(),
  /** How long the simulated callee talks before hanging up (default 5). */
  talk_secs: z.number().int().min(0).max(86400).optional(),
});
export type CreateCallRequest = z.input<typeof CreateCallRequestSchema>;

export const BridgeCallsRequestSchema = z.strictObject({ call_a: UuidSchema, call_b: UuidSchema });
export type BridgeCallsRequest = z.infer<typeof BridgeCallsRequestSchema>;

export const CallSearchRequestSchema = z.strictObject({
  direction: DirectionSchema.optional(),
  from: PhoneNumberSchema.optional(),
  to: PhoneNumberSchema.optional(),
  state: CallStateSchema.optional(),
  batch: UuidSchema.optional(),
  ...CreatedWindowShape,
});
export type CallSearchRequest = z.input<typeof CallSearchRequestSchema>;

export const CreateBatchRequestSchema = z.strictObject({
  from: PhoneNumberSchema,
  phones: z.array(PhoneNumberSchema).min(1).max(10000, { message: 'a batch holds at most 10000 phones' }),
  ...callFlowShape,
  concurrency: z.number().int().min(1).max(100).default(10),
  talk_secs: z.number().int().min(0).max(86400).optional(),
});
export type CreateBatchRequest = z.input<typeof CreateBatchRequestSchema>;

export const BatchStateSchema = z.enum(['created', 'processing', 'completed', 'failed']);
export const BatchSchema = z.object({
  uuid: UuidSchema,
  state: BatchStateSchema,
  from: E164Schema.optional(),
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  concurrency: z.number().int().optional(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type Batch = z.infer<typeof BatchSchema>;

/** Click-to-call: dial `caller` first; when answered, dial `callee` and bridge them. */
export const OriginateRequestSchema = z.strictObject({
  caller: PhoneNumberSchema,
  callee: PhoneNumberSchema,
  from: PhoneNumberSchema.optional(),
});
export type OriginateRequest = z.input<typeof OriginateRequestSchema>;
export const OriginateSchema = z.object({
  uuid: UuidSchema,
  caller_call: UuidSchema,
  callee_call: UuidSchema.nullable(),
  state: z.string(),
});
export type Originate = z.infer<typeof OriginateSchema>;

export const RapidResponseRequestSchema = z.strictObject({
  callee: PhoneNumberSchema,
  whisper_text: z.string().min(1).max(1000),
  agent: PhoneNumberSchema,
});
export type RapidResponseRequest = z.input<typeof RapidResponseRequestSchema>;
export const RapidResponseSchema = z.object({
  uuid: UuidSchema,
  queue_status: z.enum(['processing', 'completed', 'failed']),
  callee: E164Schema,
  whisper_text: z.string(),
  agent: E164Schema.optional(),
});
export type RapidResponse = z.infer<typeof RapidResponseSchema>;

/** `GET /rest/reports/call-data` (seed 000): inclusive dates in the account's time zone, at most 93 days. */
export const CallDataQuerySchema = z.strictObject({
  start_date: DateOnlySchema,
  end_date: DateOnlySchema,
  account_id: UuidSchema.optional(),
});
export type CallDataQuery = z.infer<typeof CallDataQuerySchema>;

export const CallDataRecordSchema = z.object({
  uuid: UuidSchema,
  direction: DirectionSchema,
  from: E164Schema,
  to: E164Schema,
  started_on: DateTimeSchema,
  answered_on: DateTimeSchema.nullable(),
  ended_on: DateTimeSchema.nullable(),
  duration: z.number().int(),
  billable_seconds: z.number().int(),
  cost: MoneySchema,
  q850_cause: z.number().int().nullable(),
  state: CallStateSchema,
});
export type CallDataRecord = z.infer<typeof CallDataRecordSchema>;

/** `POST /rest/simulate/call` (demo-server only): an inbound call from the outside world. */
export const SimulateCallRequestSchema = z.strictObject({
  from: PhoneNumberSchema,
  to: PhoneNumberSchema,
  talk_secs: z.number().int().min(0).max(86400).optional(),
});
export type SimulateCallRequest = z.input<typeof SimulateCallRequestSchema>;
