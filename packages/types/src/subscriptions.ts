import * as z from 'zod/mini';
import { DateTimeSchema, UuidSchema } from './common.js';
import { define } from './define.js';
import { EventPatternSchema } from './events.js';

/** How a subscription's events travel: over the websocket (`wss`) or as signed HTTP posts (`webhook`). */
export const SubscriptionChannelSchema = define(() => z.enum(['wss', 'webhook']));

/** An event subscription. `signing_secret` (webhooks) is present only in the create response. */
export const EventSubscriptionSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    channel: SubscriptionChannelSchema,
    types: z.array(z.string()),
    url: z.nullable(z.string()),
    is_active: z.boolean(),
    expired_on: z.nullable(DateTimeSchema),
    signing_secret: z.optional(z.string()),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link EventSubscriptionSchema}. */
export type EventSubscription = z.infer<typeof EventSubscriptionSchema>;

const webhookUrl = () =>
  z.url({ protocol: /^https?$/, message: 'url must be an http(s) URL' }).check(z.maxLength(2048));

/** `POST /rest/event/subscription`: a webhook subscription needs `url`, a websocket one takes none. */
export const CreateEventSubscriptionRequestSchema = define(() =>
  z
    .strictObject({
      channel: SubscriptionChannelSchema,
      types: z.array(EventPatternSchema).check(z.minLength(1), z.maxLength(50)),
      url: z.optional(webhookUrl()),
      is_active: z._default(z.boolean(), true),
      expired_on: z.optional(DateTimeSchema),
    })
    .check(
      z.refine((v) => (v.channel === 'webhook') === (v.url !== undefined), {
        message: 'a webhook subscription needs url; a wss subscription takes none',
        path: ['url'],
      }),
    ),
);
/** What {@link CreateEventSubscriptionRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type CreateEventSubscriptionRequest = z.input<typeof CreateEventSubscriptionRequestSchema>;

/** `PATCH /rest/event/subscription/{uuid}`: change patterns, url (webhooks), activity or expiry. */
export const UpdateEventSubscriptionRequestSchema = define(() =>
  z
    .strictObject({
      types: z.optional(z.array(EventPatternSchema).check(z.minLength(1), z.maxLength(50))),
      url: z.optional(webhookUrl()),
      is_active: z.optional(z.boolean()),
      expired_on: z.optional(z.nullable(DateTimeSchema)),
    })
    .check(z.refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' })),
);
/** What {@link UpdateEventSubscriptionRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type UpdateEventSubscriptionRequest = z.input<typeof UpdateEventSubscriptionRequestSchema>;

/** `GET /rest/event/subscription/{uuid}/deliveries?take=&skip=&state=` */
export const DeliveryListQuerySchema = define(() =>
  z.strictObject({
    take: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 10),
    skip: z._default(z.coerce.number().check(z.int(), z.gte(0)), 0),
    state: z.optional(z.enum(['pending', 'delivered', 'failed'])),
  }),
);
/** What {@link DeliveryListQuerySchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type DeliveryListQuery = z.input<typeof DeliveryListQuerySchema>;

/** Where a webhook delivery is: still trying (`pending`), `delivered`, or given up (`failed`). */
export const DeliveryStateSchema = define(() => z.enum(['pending', 'delivered', 'failed']));

/** One attempt to deliver an event to a webhook: the HTTP status, or the error when there was none. */
export const DeliveryAttemptSchema = define(() =>
  z.object({
    attempt: z.int(),
    status: z.nullable(z.int()),
    error: z.nullable(z.string()),
    duration_ms: z.int(),
    attempted_on: DateTimeSchema,
  }),
);

/** One event's delivery to one webhook subscription, with every attempt. */
export const WebhookDeliverySchema = define(() =>
  z.object({
    uuid: UuidSchema,
    subscription: UuidSchema,
    event_id: UuidSchema,
    event_type: z.string(),
    seq: z.int(),
    state: DeliveryStateSchema,
    attempts: z.int(),
    last_status: z.nullable(z.int()),
    last_error: z.nullable(z.string()),
    next_attempt_on: z.nullable(DateTimeSchema),
    attempt_log: z.optional(z.array(DeliveryAttemptSchema)),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link WebhookDeliverySchema}. */
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
