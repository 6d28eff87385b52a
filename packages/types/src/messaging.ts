import * as z from 'zod/mini';
import {
  CreatedWindowShape,
  DateTimeSchema,
  E164Schema,
  MoneySchema,
  PhoneNumberSchema,
  UuidSchema,
} from './common.js';
import { define } from './define.js';

/**
 * `POST /rest/sms`: exactly one of `from` (a number of this account with SMS on) and `from_pool`
 * (a messaging profile uuid whose SMS-enabled numbers form the pool).
 */
export const SendSmsRequestSchema = define(() =>
  z
    .strictObject({
      from: z.optional(PhoneNumberSchema),
      from_pool: z.optional(UuidSchema),
      to: PhoneNumberSchema,
      message: z
        .string()
        .check(
          z.minLength(1, { message: 'message must not be empty' }),
          z.maxLength(918, { message: 'message must be at most 918 characters (6 concatenated segments)' }),
        ),
      custom_callback_url: z.optional(z.url()),
    })
    .check(
      z.refine((v) => (v.from === undefined) !== (v.from_pool === undefined), {
        message: 'give exactly one of from and from_pool',
        path: ['from'],
      }),
    ),
);
/** What {@link SendSmsRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type SendSmsRequest = z.input<typeof SendSmsRequestSchema>;

/** Where an SMS is: outbound `created` → `sending` → `sent` → `delivered` (or `failed`); inbound `received`. */
export const SmsStateSchema = define(() =>
  z.enum(['created', 'sending', 'sent', 'delivered', 'failed', 'received']),
);
/** The parsed form of {@link SmsStateSchema}. */
export type SmsState = z.infer<typeof SmsStateSchema>;
/** `in` from the outside world to the account, `out` from the account. */
export const DirectionSchema = define(() => z.enum(['in', 'out']));
/** The parsed form of {@link DirectionSchema}. */
export type Direction = z.infer<typeof DirectionSchema>;

/** An SMS, outbound (`smso`) or inbound (`smsi`). */
export const SmsSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    type: z.enum(['smso', 'smsi']),
    direction: DirectionSchema,
    state: SmsStateSchema,
    from: E164Schema,
    to: E164Schema,
    message: z.string(),
    thread: z.string(),
    delivered: z.boolean(),
    segments: z.int(),
    cost: MoneySchema,
    messaging_profile: z.optional(z.nullable(UuidSchema)),
    error: z.optional(z.nullable(z.string())),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
    sent_on: z.optional(z.nullable(DateTimeSchema)),
    delivered_on: z.optional(z.nullable(DateTimeSchema)),
  }),
);
/** The parsed form of {@link SmsSchema}. */
export type Sms = z.infer<typeof SmsSchema>;

/** `POST /rest/sms/search` body: every field narrows the result. */
export const SmsSearchRequestSchema = define(() =>
  z.strictObject({
    direction: z.optional(DirectionSchema),
    from: z.optional(PhoneNumberSchema),
    to: z.optional(PhoneNumberSchema),
    state: z.optional(SmsStateSchema),
    ...CreatedWindowShape,
  }),
);
/** What {@link SmsSearchRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type SmsSearchRequest = z.input<typeof SmsSearchRequestSchema>;

/** A messaging profile: a pool of SMS numbers with a callback URL and sender rules. */
export const MessagingProfileSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    name: z.string(),
    callback_url: z.nullable(z.string()),
    number_pool_enable: z.boolean(),
    sticky_sender: z.boolean(),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link MessagingProfileSchema}. */
export type MessagingProfile = z.infer<typeof MessagingProfileSchema>;

/** `POST /rest/profile/messaging`: the number pool is on and sticky sender off unless said otherwise. */
export const CreateMessagingProfileRequestSchema = define(() =>
  z.strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    callback_url: z.optional(z.nullable(z.url())),
    number_pool_enable: z._default(z.boolean(), true),
    sticky_sender: z._default(z.boolean(), false),
  }),
);
/** What {@link CreateMessagingProfileRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type CreateMessagingProfileRequest = z.input<typeof CreateMessagingProfileRequestSchema>;

/** `PATCH /rest/profile/messaging/{uuid}`: the fields given change, the others stay. */
export const UpdateMessagingProfileRequestSchema = define(() =>
  z.strictObject({
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    callback_url: z.optional(z.nullable(z.url())),
    number_pool_enable: z.optional(z.boolean()),
    sticky_sender: z.optional(z.boolean()),
  }),
);
/** What {@link UpdateMessagingProfileRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type UpdateMessagingProfileRequest = z.input<typeof UpdateMessagingProfileRequestSchema>;

/** `POST /rest/simulate/sms` (demo server only): an inbound SMS from the outside world. */
export const SimulateSmsRequestSchema = define(() =>
  z.strictObject({
    from: PhoneNumberSchema,
    to: PhoneNumberSchema,
    message: z.string().check(z.minLength(1), z.maxLength(918)),
  }),
);
/** What {@link SimulateSmsRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type SimulateSmsRequest = z.input<typeof SimulateSmsRequestSchema>;
