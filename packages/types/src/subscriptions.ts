import { z } from 'zod';
import { DateTimeSchema, UuidSchema } from './common.js';
import { EventPatternSchema } from './events.js';

export const SubscriptionChannelSchema = z.enum(['wss', 'webhook']);

/** An event subscription. `signing_secret` (webhooks) is present only in the create response. */
export const EventSubscriptionSchema = z.object({
  uuid: UuidSchema,
  channel: SubscriptionChannelSchema,
  types: z.array(z.string()),
  url: z.string().nullable(),
  is_active: z.boolean(),
  expired_on: DateTimeSchema.nullable(),
  signing_secret: z.string().optional(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type EventSubscription = z.infer<typeof EventSubscriptionSchema>;

export const CreateEventSubscriptionRequestSchema = z
  .strictObject({
    channel: SubscriptionChannelSchema,
    types: z.array(EventPatternSchema).min(1).max(50),
    url: z
      .url({ protocol: /^https?$/, message: 'url must be an http(s) URL' })
      .max(2048)
      .optional(),
    is_active: z.boolean().default(true),
    expired_on: DateTimeSchema.optional(),
  })
  .refine((v) => (v.channel === 'webhook') === (v.url !== undefined), {
    message: 'a webhook subscription needs url; a wss subscription takes none',
    path: ['url'],
  });
export type CreateEventSubscriptionRequest = z.input<typeof CreateEventSubscriptionRequestSchema>;

/** `PATCH /rest/event/subscription/{uuid}`: change patterns, url (webhooks), activity or expiry. */
export const UpdateEventSubscriptionRequestSchema = z
  .strictObject({
    types: z.array(EventPatternSchema).min(1).max(50).optional(),
    url: z
      .url({ protocol: /^https?$/, message: 'url must be an http(s) URL' })
      .max(2048)
      .optional(),
    is_active: z.boolean().optional(),
    expired_on: DateTimeSchema.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' });
export type UpdateEventSubscriptionRequest = z.input<typeof UpdateEventSubscriptionRequestSchema>;

/** `GET /rest/event/subscription/{uuid}/deliveries?take=&skip=&state=` */
export const DeliveryListQuerySchema = z.strictObject({
  take: z.coerce.number().int().min(1).max(100).default(10),
  skip: z.coerce.number().int().min(0).default(0),
  state: z.enum(['pending', 'delivered', 'failed']).optional(),
});
export type DeliveryListQuery = z.input<typeof DeliveryListQuerySchema>;

export const DeliveryStateSchema = z.enum(['pending', 'delivered', 'failed']);

export const DeliveryAttemptSchema = z.object({
  attempt: z.number().int(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int(),
  attempted_on: DateTimeSchema,
});

/** One event's delivery to one webhook subscription, with every attempt. */
export const WebhookDeliverySchema = z.object({
  uuid: UuidSchema,
  subscription: UuidSchema,
  event_id: UuidSchema,
  event_type: z.string(),
  seq: z.number().int(),
  state: DeliveryStateSchema,
  attempts: z.number().int(),
  last_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_on: DateTimeSchema.nullable(),
  attempt_log: z.array(DeliveryAttemptSchema).optional(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
