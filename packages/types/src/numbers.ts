import { z } from 'zod';
import {
  CreatedWindowShape,
  DateTimeSchema,
  E164Schema,
  MoneySchema,
  PhoneNumberSchema,
  UuidSchema,
} from './common.js';

export const FeatureSchema = z.enum(['voice', 'sms']);
export type Feature = z.infer<typeof FeatureSchema>;

/** `POST /rest/tn/search?page=&size=` body. `pattern` uses `*` (any digits) and `%` (one digit). */
export const InventorySearchRequestSchema = z.strictObject({
  country: z.literal('US').default('US'),
  npa: z
    .string()
    .regex(/^[2-9]\d{2}$/, { message: 'npa must be a 3-digit area code' })
    .optional(),
  pattern: z
    .string()
    .regex(/^[\d*%]{1,15}$/, { message: 'pattern may hold digits, * (any digits) and % (one digit)' })
    .optional(),
  state: z.string().min(2).max(40).optional(),
  city: z.string().min(1).max(80).optional(),
  features: z.array(FeatureSchema).max(2).optional(),
});
export type InventorySearchRequest = z.infer<typeof InventorySearchRequestSchema>;

export const InventorySearchQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  size: z.coerce.number().int().min(1).max(100).default(10),
  account_id: UuidSchema.optional(),
});

export const InventoryNumberSchema = z.object({
  tn: E164Schema,
  country: z.string(),
  state: z.string(),
  city: z.string(),
  rate_center: z.string(),
  features: z.array(FeatureSchema),
  setup_cost: MoneySchema,
  monthly_cost: MoneySchema,
});
export type InventoryNumber = z.infer<typeof InventoryNumberSchema>;

export const InventorySearchResultSchema = z.object({
  total: z.number().int(),
  page: z.number().int().optional(),
  size: z.number().int().optional(),
  data: z.array(InventoryNumberSchema),
});
export type InventorySearchResult = z.infer<typeof InventorySearchResultSchema>;

export const OrderItemRequestSchema = z.strictObject({
  tn: PhoneNumberSchema,
  features: z.array(FeatureSchema).min(1).default(['voice', 'sms']),
  autorenew: z.boolean().default(true),
});
export const OrderRequestSchema = z.strictObject({
  items: z.array(OrderItemRequestSchema).min(1).max(100),
});
export type OrderRequest = z.input<typeof OrderRequestSchema>;

export const OrderStateSchema = z.enum(['created', 'processing', 'success', 'failed']);
export type OrderState = z.infer<typeof OrderStateSchema>;
export const OrderItemStateSchema = z.enum(['pending', 'processing', 'success', 'failed']);

export const OrderItemSchema = z.object({
  tn: E164Schema,
  features: z.array(FeatureSchema),
  autorenew: z.boolean(),
  state: OrderItemStateSchema,
  lease: UuidSchema.nullable().optional(),
  error: z.string().nullable().optional(),
});
export type OrderItem = z.infer<typeof OrderItemSchema>;

export const OrderSchema = z.object({
  uuid: UuidSchema,
  state: OrderStateSchema,
  items: z.array(OrderItemSchema),
  total: z.number().int(),
  success: z.number().int(),
  processing: z.number().int(),
  failed: z.number().int(),
  errors: z.array(z.object({ tn: z.string(), code: z.string(), message: z.string() })),
  cost: MoneySchema.optional(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type Order = z.infer<typeof OrderSchema>;

export const OrderSearchRequestSchema = z.strictObject({
  state: OrderStateSchema.optional(),
  ...CreatedWindowShape,
});
export type OrderSearchRequest = z.infer<typeof OrderSearchRequestSchema>;

/** A purchased number. */
export const LeaseSchema = z.object({
  uuid: UuidSchema,
  tn: E164Schema,
  country: z.string(),
  state: z.string(),
  city: z.string(),
  rate_center: z.string(),
  features: z.array(FeatureSchema),
  voice: z.boolean(),
  sms: z.boolean(),
  autorenew: z.boolean(),
  messaging_profile: UuidSchema.nullable(),
  sip_connection: UuidSchema.nullable(),
  tn_profile: UuidSchema.nullable(),
  call_flow_xml: z.string().nullable(),
  call_flow_url: z.string().nullable(),
  monthly_cost: MoneySchema,
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type Lease = z.infer<typeof LeaseSchema>;

/** `POST /rest/lease/tn/search` body. `tn` is a mask with `*` and `%` like the inventory pattern. */
export const LeaseSearchRequestSchema = z.strictObject({
  tn: z
    .string()
    .regex(/^\+?[\d*%]{1,16}$/, { message: 'tn may hold digits, * and %' })
    .optional(),
  sms: z.boolean().optional(),
  voice: z.boolean().optional(),
  sip_connection: UuidSchema.optional(),
  messaging_profile: UuidSchema.optional(),
  ...CreatedWindowShape,
});
export type LeaseSearchRequest = z.infer<typeof LeaseSearchRequestSchema>;

export const UpdateLeaseRequestSchema = z.strictObject({
  voice: z.boolean().optional(),
  sms: z.boolean().optional(),
  autorenew: z.boolean().optional(),
  messaging_profile: UuidSchema.nullable().optional(),
  sip_connection: UuidSchema.nullable().optional(),
  tn_profile: UuidSchema.nullable().optional(),
  call_flow_xml: z.string().max(65536).nullable().optional(),
  call_flow_url: z.url().nullable().optional(),
});
export type UpdateLeaseRequest = z.infer<typeof UpdateLeaseRequestSchema>;

export const SmsSubscriptionRequestSchema = z.strictObject({ messaging_profile: UuidSchema.optional() });
export type SmsSubscriptionRequest = z.infer<typeof SmsSubscriptionRequestSchema>;

export const TnProfileSchema = z.object({
  uuid: UuidSchema,
  name: z.string(),
  blacklist: z.array(E164Schema),
  whitelist: z.array(E164Schema),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type TnProfile = z.infer<typeof TnProfileSchema>;

export const CreateTnProfileRequestSchema = z.strictObject({
  name: z.string().min(1).max(100),
  blacklist: z.array(PhoneNumberSchema).max(10000).default([]),
  whitelist: z.array(PhoneNumberSchema).max(10000).default([]),
});
export type CreateTnProfileRequest = z.input<typeof CreateTnProfileRequestSchema>;

export const UpdateTnProfileRequestSchema = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  blacklist: z.array(PhoneNumberSchema).max(10000).optional(),
  whitelist: z.array(PhoneNumberSchema).max(10000).optional(),
});
export type UpdateTnProfileRequest = z.input<typeof UpdateTnProfileRequestSchema>;

/** `POST /rest/profile/tn/{uuid}/blacklist` and `…/whitelist`. */
export const NumberListEditRequestSchema = z
  .strictObject({
    add: z.array(PhoneNumberSchema).max(10000).optional(),
    remove: z.array(PhoneNumberSchema).max(10000).optional(),
  })
  .refine((v) => (v.add?.length ?? 0) + (v.remove?.length ?? 0) > 0, { message: 'give add, remove or both' });
export type NumberListEditRequest = z.input<typeof NumberListEditRequestSchema>;
