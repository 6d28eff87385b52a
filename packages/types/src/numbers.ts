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

/** What a number can do: take calls (`voice`), send and receive SMS (`sms`). */
export const FeatureSchema = define(() => z.enum(['voice', 'sms']));
/** The parsed form of {@link FeatureSchema}. */
export type Feature = z.infer<typeof FeatureSchema>;

/** `POST /rest/tn/search?page=&size=` body. `pattern` uses `*` (any digits) and `%` (one digit). */
export const InventorySearchRequestSchema = define(() =>
  z.strictObject({
    country: z._default(z.literal('US'), 'US'),
    npa: z.optional(
      z.string().check(z.regex(/^[2-9]\d{2}$/, { message: 'npa must be a 3-digit area code' })),
    ),
    pattern: z.optional(
      z
        .string()
        .check(
          z.regex(/^[\d*%]{1,15}$/, { message: 'pattern may hold digits, * (any digits) and % (one digit)' }),
        ),
    ),
    state: z.optional(z.string().check(z.minLength(2), z.maxLength(40))),
    city: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
    features: z.optional(z.array(FeatureSchema).check(z.maxLength(2))),
  }),
);
/** The parsed form of {@link InventorySearchRequestSchema}. */
export type InventorySearchRequest = z.infer<typeof InventorySearchRequestSchema>;

/** `page` (from 1, default 1) and `size` (1..100, default 10) of the inventory search. */
export const InventorySearchQuerySchema = define(() =>
  z.strictObject({
    page: z._default(z.coerce.number().check(z.int(), z.gte(1)), 1),
    size: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 10),
    account_id: z.optional(UuidSchema),
  }),
);

/** A number on sale, with what it costs to buy and to keep. */
export const InventoryNumberSchema = define(() =>
  z.object({
    tn: E164Schema,
    country: z.string(),
    state: z.string(),
    city: z.string(),
    rate_center: z.string(),
    features: z.array(FeatureSchema),
    setup_cost: MoneySchema,
    monthly_cost: MoneySchema,
  }),
);
/** The parsed form of {@link InventoryNumberSchema}. */
export type InventoryNumber = z.infer<typeof InventoryNumberSchema>;

/** A page of the inventory search. */
export const InventorySearchResultSchema = define(() =>
  z.object({
    total: z.int(),
    page: z.optional(z.int()),
    size: z.optional(z.int()),
    data: z.array(InventoryNumberSchema),
  }),
);
/** The parsed form of {@link InventorySearchResultSchema}. */
export type InventorySearchResult = z.infer<typeof InventorySearchResultSchema>;

/** One number to buy: both features and auto-renewal unless said otherwise. */
export const OrderItemRequestSchema = define(() =>
  z.strictObject({
    tn: PhoneNumberSchema,
    features: z._default(z.array(FeatureSchema).check(z.minLength(1)), ['voice', 'sms']),
    autorenew: z._default(z.boolean(), true),
  }),
);
/** `POST /rest/order`: buys 1..100 numbers in one order. */
export const OrderRequestSchema = define(() =>
  z.strictObject({
    items: z.array(OrderItemRequestSchema).check(z.minLength(1), z.maxLength(100)),
  }),
);
/** What {@link OrderRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type OrderRequest = z.input<typeof OrderRequestSchema>;

/** Where an order is: `created` → `processing` → `success` (or `failed`). */
export const OrderStateSchema = define(() => z.enum(['created', 'processing', 'success', 'failed']));
/** The parsed form of {@link OrderStateSchema}. */
export type OrderState = z.infer<typeof OrderStateSchema>;
/** Where one number of an order is. */
export const OrderItemStateSchema = define(() => z.enum(['pending', 'processing', 'success', 'failed']));

/** One number of an order and, once bought, its lease. */
export const OrderItemSchema = define(() =>
  z.object({
    tn: E164Schema,
    features: z.array(FeatureSchema),
    autorenew: z.boolean(),
    state: OrderItemStateSchema,
    lease: z.optional(z.nullable(UuidSchema)),
    error: z.optional(z.nullable(z.string())),
  }),
);
/** The parsed form of {@link OrderItemSchema}. */
export type OrderItem = z.infer<typeof OrderItemSchema>;

/** A number order, its items and their outcome. */
export const OrderSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    state: OrderStateSchema,
    items: z.array(OrderItemSchema),
    total: z.int(),
    success: z.int(),
    processing: z.int(),
    failed: z.int(),
    errors: z.array(z.object({ tn: z.string(), code: z.string(), message: z.string() })),
    cost: z.optional(MoneySchema),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link OrderSchema}. */
export type Order = z.infer<typeof OrderSchema>;

/** `POST /rest/order/search` body. */
export const OrderSearchRequestSchema = define(() =>
  z.strictObject({
    state: z.optional(OrderStateSchema),
    ...CreatedWindowShape,
  }),
);
/** The parsed form of {@link OrderSearchRequestSchema}. */
export type OrderSearchRequest = z.infer<typeof OrderSearchRequestSchema>;

/** A purchased number. */
export const LeaseSchema = define(() =>
  z.object({
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
    messaging_profile: z.nullable(UuidSchema),
    sip_connection: z.nullable(UuidSchema),
    tn_profile: z.nullable(UuidSchema),
    call_flow_xml: z.nullable(z.string()),
    call_flow_url: z.nullable(z.string()),
    monthly_cost: MoneySchema,
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link LeaseSchema}. */
export type Lease = z.infer<typeof LeaseSchema>;

/** `POST /rest/lease/tn/search` body. `tn` is a mask with `*` and `%` like the inventory pattern. */
export const LeaseSearchRequestSchema = define(() =>
  z.strictObject({
    tn: z.optional(
      z.string().check(z.regex(/^\+?[\d*%]{1,16}$/, { message: 'tn may hold digits, * and %' })),
    ),
    sms: z.optional(z.boolean()),
    voice: z.optional(z.boolean()),
    sip_connection: z.optional(UuidSchema),
    messaging_profile: z.optional(UuidSchema),
    ...CreatedWindowShape,
  }),
);
/** The parsed form of {@link LeaseSearchRequestSchema}. */
export type LeaseSearchRequest = z.infer<typeof LeaseSearchRequestSchema>;

/** `PATCH /rest/lease/tn/{uuid or number}`: the fields given change, `null` detaches. */
export const UpdateLeaseRequestSchema = define(() =>
  z.strictObject({
    voice: z.optional(z.boolean()),
    sms: z.optional(z.boolean()),
    autorenew: z.optional(z.boolean()),
    messaging_profile: z.optional(z.nullable(UuidSchema)),
    sip_connection: z.optional(z.nullable(UuidSchema)),
    tn_profile: z.optional(z.nullable(UuidSchema)),
    call_flow_xml: z.optional(z.nullable(z.string().check(z.maxLength(65536)))),
    call_flow_url: z.optional(z.nullable(z.url())),
  }),
);
/** The parsed form of {@link UpdateLeaseRequestSchema}. */
export type UpdateLeaseRequest = z.infer<typeof UpdateLeaseRequestSchema>;

/** Turns SMS on for a number, optionally in a messaging profile's pool. */
export const SmsSubscriptionRequestSchema = define(() =>
  z.strictObject({ messaging_profile: z.optional(UuidSchema) }),
);
/** The parsed form of {@link SmsSubscriptionRequestSchema}. */
export type SmsSubscriptionRequest = z.infer<typeof SmsSubscriptionRequestSchema>;

/** A number profile: callers refused (`blacklist`) or the only ones let through (`whitelist`). */
export const TnProfileSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    name: z.string(),
    blacklist: z.array(E164Schema),
    whitelist: z.array(E164Schema),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link TnProfileSchema}. */
export type TnProfile = z.infer<typeof TnProfileSchema>;

/** `POST /rest/profile/tn`: both lists start empty unless given. */
export const CreateTnProfileRequestSchema = define(() =>
  z.strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    blacklist: z._default(z.array(PhoneNumberSchema).check(z.maxLength(10000)), []),
    whitelist: z._default(z.array(PhoneNumberSchema).check(z.maxLength(10000)), []),
  }),
);
/** What {@link CreateTnProfileRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type CreateTnProfileRequest = z.input<typeof CreateTnProfileRequestSchema>;

/** `PATCH /rest/profile/tn/{uuid}`: a list given replaces the stored one. */
export const UpdateTnProfileRequestSchema = define(() =>
  z.strictObject({
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    blacklist: z.optional(z.array(PhoneNumberSchema).check(z.maxLength(10000))),
    whitelist: z.optional(z.array(PhoneNumberSchema).check(z.maxLength(10000))),
  }),
);
/** What {@link UpdateTnProfileRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type UpdateTnProfileRequest = z.input<typeof UpdateTnProfileRequestSchema>;

/** `POST /rest/profile/tn/{uuid}/blacklist` and `…/whitelist`. */
export const NumberListEditRequestSchema = define(() =>
  z
    .strictObject({
      add: z.optional(z.array(PhoneNumberSchema).check(z.maxLength(10000))),
      remove: z.optional(z.array(PhoneNumberSchema).check(z.maxLength(10000))),
    })
    .check(
      z.refine((v) => (v.add?.length ?? 0) + (v.remove?.length ?? 0) > 0, {
        message: 'give add, remove or both',
      }),
    ),
);
/** What {@link NumberListEditRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type NumberListEditRequest = z.input<typeof NumberListEditRequestSchema>;
