import * as z from 'zod/mini';
import { DateTimeSchema, UuidSchema } from './common.js';
import { define } from './define.js';
import { EventPatternSchema, UnknownEventSchema } from './events.js';
import { AccountSchema, UserSchema } from './identity.js';

const TokenSchema = define(() => z.string().check(z.minLength(1), z.maxLength(4096)));
const ClientIdSchema = define(() => z.string().check(z.minLength(1), z.maxLength(64)));

// ---- client → server -------------------------------------------------------------------------

/**
 * First message: `{type:"auth", token}`. `{type:"auth", payload:"<token>"}` is accepted too, for
 * older clients that send the token as `payload`. Exactly one of the two must be given.
 */
export const WsAuthMessageSchema = define(() =>
  z
    .strictObject({
      type: z.literal('auth'),
      token: z.optional(TokenSchema),
      payload: z.optional(TokenSchema),
    })
    .check(
      z.refine((m) => (m.token === undefined) !== (m.payload === undefined), {
        message: 'give the token as token (or payload), once',
      }),
    ),
);
/** The older first message `{type:"authrequest", token}`, answered with `authresponse`. */
export const WsAuthRequestMessageSchema = define(() =>
  z.strictObject({
    type: z.literal('authrequest'),
    token: TokenSchema,
  }),
);
/** Subscribes to event patterns; `after_seq` replays what came after that seq first. */
export const WsSubscribeMessageSchema = define(() =>
  z.strictObject({
    type: z.literal('subscribe'),
    id: ClientIdSchema,
    types: z.array(EventPatternSchema).check(z.minLength(1), z.maxLength(50)),
    account_id: z.optional(UuidSchema),
    after_seq: z.optional(z.int().check(z.gte(0))),
  }),
);
/** Ends a subscription. */
export const WsUnsubscribeMessageSchema = define(() =>
  z.strictObject({
    type: z.literal('unsubscribe'),
    id: z.optional(ClientIdSchema),
    subscription: UuidSchema,
  }),
);
/** Renews the token on an open socket. */
export const WsReauthMessageSchema = define(() =>
  z.strictObject({ type: z.literal('reauth'), token: TokenSchema }),
);
/** Asks for a `pong`. */
export const WsPingMessageSchema = define(() =>
  z.strictObject({ type: z.literal('ping'), id: z.optional(ClientIdSchema) }),
);

/** Any message a client sends. */
export const WsClientMessageSchema = define(() =>
  z.discriminatedUnion('type', [
    WsAuthMessageSchema,
    WsAuthRequestMessageSchema,
    WsSubscribeMessageSchema,
    WsUnsubscribeMessageSchema,
    WsReauthMessageSchema,
    WsPingMessageSchema,
  ]),
);
/** The parsed form of {@link WsClientMessageSchema}. */
export type WsClientMessage = z.infer<typeof WsClientMessageSchema>;
/** The parsed form of {@link WsSubscribeMessageSchema}. */
export type WsSubscribeMessage = z.infer<typeof WsSubscribeMessageSchema>;

// ---- server → client -------------------------------------------------------------------------

/** Who the socket is authenticated as, and until when. */
export const WsAuthPayloadSchema = define(() =>
  z.object({
    connection: z.object({ uuid: UuidSchema, ip: z.string() }),
    user: UserSchema,
    account: AccountSchema,
    expires_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link WsAuthPayloadSchema}. */
export type WsAuthPayload = z.infer<typeof WsAuthPayloadSchema>;

const authOk = define(() => ({ success: z.literal(true), payload: WsAuthPayloadSchema }));
const authFail = define(() => ({ success: z.literal(false), code: z.string(), message: z.string() }));
/** The answer to `auth`: the payload on success, a code and message otherwise. */
export const WsAuthResultSchema = define(() =>
  z.union([
    z.object({ type: z.literal('auth'), ...authOk }),
    z.object({ type: z.literal('auth'), ...authFail }),
  ]),
);
/** The answer to `authrequest`. */
export const WsAuthResponseSchema = define(() =>
  z.union([
    z.object({ type: z.literal('authresponse'), ...authOk }),
    z.object({ type: z.literal('authresponse'), ...authFail }),
  ]),
);
/** A subscription is live; `recovered: false` means the replay could not cover every missed event. */
export const WsSubscribedSchema = define(() =>
  z.object({
    type: z.literal('subscribed'),
    id: z.string(),
    subscription: UuidSchema,
    account_id: z.optional(UuidSchema),
    last_seq: z.int(),
    recovered: z.boolean(),
  }),
);
/** A subscription has ended. */
export const WsUnsubscribedSchema = define(() =>
  z.object({
    type: z.literal('unsubscribed'),
    id: z.optional(z.string()),
    subscription: UuidSchema,
  }),
);
/** The event is parsed leniently here; use `parseEventLenient` or `EventSchema` on it as needed. */
export const WsEventSchema = define(() =>
  z.object({
    type: z.literal('event'),
    subscription: UuidSchema,
    event: UnknownEventSchema,
  }),
);
/** The answer to `reauth`. */
export const WsReauthResultSchema = define(() =>
  z.object({
    type: z.literal('reauth'),
    success: z.boolean(),
    expires_on: z.optional(DateTimeSchema),
    code: z.optional(z.string()),
    message: z.optional(z.string()),
  }),
);
/** The token expires soon: send `reauth` before `expires_on`. */
export const WsTokenExpiringSchema = define(() =>
  z.object({
    type: z.literal('token_expiring'),
    expires_on: DateTimeSchema,
  }),
);
/** The answer to `ping`. */
export const WsPongSchema = define(() => z.object({ type: z.literal('pong'), id: z.optional(z.string()) }));
/** A message the server could not act on; `id` names the client message when it had one. */
export const WsErrorSchema = define(() =>
  z.object({
    type: z.literal('error'),
    id: z.optional(z.string()),
    code: z.string(),
    message: z.string(),
  }),
);

/** Any message the server sends. */
export const WsServerMessageSchema = define(() =>
  z.union([
    WsAuthResultSchema,
    WsAuthResponseSchema,
    WsSubscribedSchema,
    WsUnsubscribedSchema,
    WsEventSchema,
    WsReauthResultSchema,
    WsTokenExpiringSchema,
    WsPongSchema,
    WsErrorSchema,
  ]),
);
/** The parsed form of {@link WsServerMessageSchema}. */
export type WsServerMessage = z.infer<typeof WsServerMessageSchema>;

/**
 * The websocket close codes: 4401 means the token was refused (renew it and reconnect), 4403 that
 * the principal may not connect (stop), 4408 that no auth message came in time, 4429 too many sockets.
 */
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
