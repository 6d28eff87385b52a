import { z } from 'zod';
import {
  CreatedWindowShape,
  DateTimeSchema,
  E164Schema,
  MoneySchema,
  PhoneNumberSchema,
  UuidSchema,
} from './common.js';

/**
 * `POST /rest/sms`: exactly one of `from` (a lease of this account with SMS on) and `from_pool`
 * (a messaging profile uuid whose SMS-enabled numbers form the pool).
 */
export const SendSmsRequestSchema = z
  .strictObject({
    from: PhoneNumberSchema.optional(),
    from_pool: UuidSchema.optional(),
    to: PhoneNumberSchema,
    message: z.string().min(1, { message: 'message must not be empty' }).max(918, {
      message: 'message must be at most 918 characters (6 concatenated segments)',
    }),
    custom_callback_url: z.url().optional(),
  })
  .refine((v) => (v.from === undefined) !== (v.from_pool === undefined), {
    message: 'give exactly one of from and from_pool',
    path: ['from'],
  });
export type SendSmsRequest = z.input<typeof SendSmsRequestSchema>;

export const SmsStateSchema = z.enum(['created', 'sending', 'sent', 'delivered', 'failed', 'received']);
export type SmsState = z.infer<typeof SmsStateSchema>;
export const DirectionSchema = z.enum(['in', 'out']);
export type Direction = z.infer<typeof DirectionSchema>;

/** An SMS, outbound (`smso`) or inbound (`smsi`). */
export const SmsSchema = z.object({
  uuid: UuidSchema,
  type: z.enum(['smso', 'smsi']),
  direction: DirectionSchema,
  state: SmsStateSchema,
  from: E164Schema,
  to: E164Schema,
  message: z.string(),
  thread: z.string(),
  delivered: z.boolean(),
  segments: z.number().int(),
  cost: MoneySchema,
  messaging_profile: UuidSchema.nullable().optional(),
  error: z.string().nullable().optional(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
  sent_on: DateTimeSchema.nullable().optional(),
  delivered_on: DateTimeSchema.nullable().optional(),
});
export type Sms = z.infer<typeof SmsSchema>;

export const SmsSearchRequestSchema = z.strictObject({
  direction: DirectionSchema.optional(),
  from: PhoneNumberSchema.optional(),
  to: PhoneNumberSchema.optional(),
  state: SmsStateSchema.optional(),
  ...CreatedWindowShape,
});
export type SmsSearchRequest = z.input<typeof SmsSearchRequestSchema>;

export const MessagingProfileSchema = z.object({
  uuid: UuidSchema,
  name: z.string(),
  callback_url: z.string().nullable(),
  number_pool_enable: z.boolean(),
  sticky_sender: z.boolean(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type MessagingProfile = z.infer<typeof MessagingProfileSchema>;

export const CreateMessagingProfileRequestSchema = z.strictObject({
  name: z.string().min(1).max(100),
  callback_url: z.url().nullable().optional(),
  number_pool_enable: z.boolean().default(true),
  sticky_sender: z.boolean().default(false),
});
export type CreateMessagingProfileRequest = z.input<typeof CreateMessagingProfileRequestSchema>;

export const UpdateMessagingProfileRequestSchema = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  callback_url: z.url().nullable().optional(),
  number_pool_enable: z.boolean().optional(),
  sticky_sender: z.boolean().optional(),
});
export type UpdateMessagingProfileRequest = z.input<typeof UpdateMessagingProfileRequestSchema>;

/** `POST /rest/simulate/sms` (demo-server only): an inbound SMS from the outside world. */
export const SimulateSmsRequestSchema = z.strictObject({
  from: PhoneNumberSchema,
  to: PhoneNumberSchema,
  message: z.string().min(1).max(918),
});
export type SimulateSmsRequest = z.input<typeof SimulateSmsRequestSchema>;
