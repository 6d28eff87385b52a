import type {
  Account,
  AccountAccess,
  AccountUser,
  ApiToken,
  Batch,
  Call,
  CallDataRecord,
  EventPage,
  EventSubscription,
  InventorySearchResult,
  Lease,
  ListPayload,
  MessagingProfile,
  Order,
  Originate,
  Profile,
  RapidResponse,
  SipConnection,
  SipDomain,
  SipUser,
  Sms,
  TnProfile,
  WebhookDelivery,
} from '@callwire/types';
import type { BridgeResult } from './resources/calls.js';

/**
 * Every response body the client knows, by name, with the type it parses to. The validation entry
 * point (`@callwire/rest-client/validation`) holds one schema per name, checked against this map.
 */
export interface ResponseTypes {
  Account: Account;
  AccountAccessList: AccountAccess[];
  AccountUser: AccountUser;
  AccountUserPage: ListPayload<AccountUser>;
  ApiToken: ApiToken;
  ApiTokenPage: ListPayload<ApiToken>;
  Batch: Batch;
  Bridge: BridgeResult;
  Call: Call;
  CallPage: ListPayload<Call>;
  /** The report as a bare array; a server may wrap it in a list envelope. */
  CallDataRecords: CallDataRecord[] | { data: CallDataRecord[] };
  EventPage: EventPage;
  EventSubscription: EventSubscription;
  EventSubscriptionPage: ListPayload<EventSubscription>;
  InventorySearchResult: InventorySearchResult;
  Lease: Lease;
  LeasePage: ListPayload<Lease>;
  MessagingProfile: MessagingProfile;
  MessagingProfilePage: ListPayload<MessagingProfile>;
  Order: Order;
  OrderPage: ListPayload<Order>;
  Originate: Originate;
  Profile: Profile;
  RapidResponse: RapidResponse;
  SipConnection: SipConnection;
  SipConnectionPage: ListPayload<SipConnection>;
  SipDomain: SipDomain;
  SipDomainPage: ListPayload<SipDomain>;
  SipUser: SipUser;
  SipUserPage: ListPayload<SipUser>;
  Sms: Sms;
  SmsPage: ListPayload<Sms>;
  TnProfile: TnProfile;
  TnProfilePage: ListPayload<TnProfile>;
  WebhookDelivery: WebhookDelivery;
  WebhookDeliveryPage: ListPayload<WebhookDelivery>;
}
/** The name of a response body the client knows. */
export type ResponseName = keyof ResponseTypes;

declare const payloadType: unique symbol;
/**
 * A response schema by name, typed with what the response parses to. Requests name their schema
 * instead of importing it, so an app that never validates responses bundles no schema at all.
 */
export type SchemaRef<T> = ResponseName & { readonly [payloadType]?: T };

/** The reference to the schema of the response named `name`. */
export function ref<N extends ResponseName>(name: N): SchemaRef<ResponseTypes[N]> {
  return name as SchemaRef<ResponseTypes[N]>;
}
