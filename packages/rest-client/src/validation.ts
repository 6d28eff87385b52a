/**
 * Response validation, in its own entry point so that only apps that validate bundle the schemas
 * and zod: `createClient({ validate: validateResponses('strict') })`.
 * @packageDocumentation
 */
import {
  AccountAccessSchema,
  AccountSchema,
  AccountUserSchema,
  ApiTokenSchema,
  BatchSchema,
  CallDataRecordSchema,
  CallSchema,
  EventPageSchema,
  EventSubscriptionSchema,
  InventorySearchResultSchema,
  LeaseSchema,
  listPayload,
  MessagingProfileSchema,
  OrderSchema,
  OriginateSchema,
  ProfileSchema,
  RapidResponseSchema,
  SipConnectionSchema,
  SipDomainSchema,
  SipUserSchema,
  SmsSchema,
  TnProfileSchema,
  WebhookDeliverySchema,
} from '@callwire/types';
import {
  arrayOf,
  type ResponseSchemas,
  type ResponseValidation,
  type Schema,
  shapeOf,
  type ValidationMode,
} from './validate.js';

export type { ResponseIssue } from './errors.js';
export type { ResponseName, ResponseTypes } from './responses.js';
export type { ResponseSchemas, ResponseValidation, Schema, ValidationMode } from './validate.js';

/** The report is a bare array; a list envelope (`{ data }`) from another server is checked as its data. */
function reportOf<T>(records: Schema<T[]>): Schema<T[]> {
  return {
    safeParse: (value: unknown) =>
      records.safeParse(
        typeof value === 'object' && value !== null && !Array.isArray(value) && 'data' in value
          ? (value as { data: unknown }).data
          : value,
      ),
  };
}

function buildSchemas(): ResponseSchemas {
  return {
    Account: AccountSchema,
    AccountAccessList: arrayOf(AccountAccessSchema),
    AccountUser: AccountUserSchema,
    AccountUserPage: listPayload(AccountUserSchema),
    ApiToken: ApiTokenSchema,
    ApiTokenPage: listPayload(ApiTokenSchema),
    Batch: BatchSchema,
    Bridge: shapeOf({ call_a: CallSchema, call_b: CallSchema }),
    Call: CallSchema,
    CallPage: listPayload(CallSchema),
    CallDataRecords: reportOf(arrayOf(CallDataRecordSchema)),
    EventPage: EventPageSchema,
    EventSubscription: EventSubscriptionSchema,
    EventSubscriptionPage: listPayload(EventSubscriptionSchema),
    InventorySearchResult: InventorySearchResultSchema,
    Lease: LeaseSchema,
    LeasePage: listPayload(LeaseSchema),
    MessagingProfile: MessagingProfileSchema,
    MessagingProfilePage: listPayload(MessagingProfileSchema),
    Order: OrderSchema,
    OrderPage: listPayload(OrderSchema),
    Originate: OriginateSchema,
    Profile: ProfileSchema,
    RapidResponse: RapidResponseSchema,
    SipConnection: SipConnectionSchema,
    SipConnectionPage: listPayload(SipConnectionSchema),
    SipDomain: SipDomainSchema,
    SipDomainPage: listPayload(SipDomainSchema),
    SipUser: SipUserSchema,
    SipUserPage: listPayload(SipUserSchema),
    Sms: SmsSchema,
    SmsPage: listPayload(SmsSchema),
    TnProfile: TnProfileSchema,
    TnProfilePage: listPayload(TnProfileSchema),
    WebhookDelivery: WebhookDeliverySchema,
    WebhookDeliveryPage: listPayload(WebhookDeliverySchema),
  };
}

// Built on first use, and shared by every client: importing this module costs nothing until then.
let schemas: ResponseSchemas | undefined;

/**
 * Checks every response body against the platform's schemas (from `@callwire/types`). A body that
 * does not match is, in `strict` mode, a `ResponseValidationError`; in `warn` mode the client logs
 * it once per endpoint (through the client's `logger`) and returns the body as sent. Valid bodies
 * come back with unknown fields dropped.
 *
 * @param mode - `strict` throws, `warn` logs. @defaultValue `'warn'`
 * @example
 * ```ts
 * import { createClient } from '@callwire/rest-client';
 * import { validateResponses } from '@callwire/rest-client/validation';
 *
 * const client = createClient({ baseUrl, auth, validate: validateResponses('strict') });
 * ```
 */
export function validateResponses(mode: ValidationMode = 'warn'): ResponseValidation {
  if (mode !== 'strict' && mode !== 'warn') throw new TypeError("validateResponses takes 'strict' or 'warn'");
  schemas ??= buildSchemas();
  return { mode, schemas };
}
