import { z } from 'zod';
import { DateTimeSchema, UuidSchema } from './common.js';
import { EventPatternSchema, UnknownEventSchema } from './events.js';
import { AccountSchema, UserSchema } from './identity.js';

const TokenSchema = z.string().min(1).max(4096);
const ClientIdSchema = z.string().min(1).max(64);

// ---- client → server -------------------------------------------------------------------------

/**
 * First message. `{type:"auth", token}` is ours; `{type:"auth", payload:"<token>"}` is seed 003's
 * dialect. Exactly one of the two must be given.
 */
export const WsAuthMessageSchema = z
  .strictObject({ type: z.literal('auth'), token: TokenSchema.optional(), payload: TokenSchema.optional() })
  .refine((m) => (m.token === undefined) !== (m.payload === undefined), {
    message: 'give the token as token (or payload), once',
  });
/** Seed 001's dialect, answered with `authresponse`. */
export const WsAuthRequestMessageSchema = z.strictObject({
  type: z.literal('authrequest'),
  token: TokenSchema,
});
export const WsSubscribeMessageSchema = z.strictObject({
  type: z.literal('subscribe'),
  id: ClientIdSchema,
  types: z.array(EventPatternSchema).min(1).max(50),
  account_id: UuidSchema.optional(),
  after_seq: z.number().int().min(0).optional(),
});
export const WsUnsubscribeMessageSchema = z.strictObject({
  type: z.literal('unsubscribe'),
  id: ClientIdSchema.optional(),
  subscription: UuidSchema,
});
export const WsReauthMessageSchema = z.strictObject({ type: z.literal('reauth'), token: TokenSchema });
export const WsPingMessageSchema = z.strictObject({ type: z.literal('ping'), id: ClientIdSchema.optional() });

export const WsClientMessageSchema = z.discriminatedUnion('type', [
  WsAuthMessageSchema,
  WsAuthRequestMessageSchema,
  WsSubscribeMessageSchema,
  WsUnsubscribeMessageSchema,
  WsReauthMessageSchema,
  WsPingMessageSchema,
]);
export type WsClientMessage = z.infer<typeof WsClientMessageSchema>;
export type WsSubscribeMessage = z.infer<typeof WsSubscribeMessageSchema>;

// ---- server → client -------------------------------------------------------------------------

export const WsAuthPayloadSchema = z.object({
  connection: z.object({ uuid: UuidSchema, ip: z.string() }),
  user: UserSchema,
  account: AccountSchema,
  expires_on: DateTimeSchema,
});
export type WsAuthPayload = z.infer<typeof WsAuthPayloadSchema>;

const authOk = { success: z.literal(true), payload: WsAuthPayloadSchema };
const authFail = { success: z.literal(false), code: z.string(), message: z.string() };
export const WsAuthResultSchema = z.union([
  z.object({ type: z.literal('auth'), ...authOk }),
  z.object({ type: z.literal('auth'), ...authFail }),
]);
export const WsAuthResponseSchema = z.union([
  z.object({ type: z.literal('authresponse'), ...authOk }),
  z.object({ type: z.literal('authresponse'), ...authFail }),
]);
export const WsSubscribedSchema = z.object({
  type: z.literal('subscribed'),
  id: z.string(),
  subscription: UuidSchema,
  account_id: UuidSchema.optional(),
  last_seq: z.number().int(),
  recovered: z.boolean(),
});
export const WsUnsubscribedSchema = z.object({
  type: z.literal('unsubscribed'),
  id: z.string().optional(),
  subscription: UuidSchema,
});
/** The event is parsed leniently here; use `parseEventLenient` or `EventSchema` on it as needed. */
export const WsEventSchema = z.object({
  type: z.literal('event'),
  subscription: UuidSchema,
  event: UnknownEventSchema,
});
export const WsReauthResultSchema = z.object({
  type: z.literal('reauth'),
  success: z.boolean(),
  expires_on: DateTimeSchema.optional(),
  code: z.string().optional(),
  message: z.string().optional(),
});
export const WsTokenExpiringSchema = z.object({
  type: z.literal('token_expiring'),
  expires_on: DateTimeSchema,
});
export const WsPongSchema = z.object({ type: z.literal('pong'), id: z.string().optional() });
export const WsErrorSchema = z.object({
  type: z.literal('error'),
  id: z.string().optional(),
  code: z.string(),
  message: z.string(),
});

export const WsServerMessageSchema = z.union([
  WsAuthResultSchema,
  WsAuthResponseSchema,
  WsSubscribedSchema,
  WsUnsubscribedSchema,
  WsEventSchema,
  WsReauthResultSchema,
  WsTokenExpiringSchema,
  WsPongSchema,
  WsErrorSchema,
]);
export type WsServerMessage = z.infer<typeof WsServerMessageSchema>;

/** Close codes of CONTRACT §6. */
export const WS_CLOSE = {
  normal: 1000,
  goingAway: 1001,
  serviceRestart: 1012,
  badMessage: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
  authTimeout: 4408,
  tooMany: 4429,
} as const;
