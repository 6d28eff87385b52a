import type {
  Account,
  AccountAccess,
  ApiToken,
  Call,
  CallDataRecord,
  CreateCallRequest,
  CreateEventSubscriptionRequest,
  EventSubscription,
  InventoryNumber,
  InventorySearchRequest,
  Lease,
  Order,
  OrderRequest,
  Profile,
  SendSmsRequest,
  SimulateCallRequest,
  SimulateSmsRequest,
  Sms,
  WebhookDelivery,
} from '@callwire/types';

/**
 * The operations the commands need, in the CLI's words. Commands depend on this small interface
 * rather than on the REST client directly, so each command reads as what it does, and the mapping
 * onto @callwire/rest-client lives in one file (rest-api.ts).
 */
export interface PrincipalApi {
  /** `GET /rest/accounts`: every account the principal may act on. */
  accounts(): Promise<AccountAccess[]>;
  /** `GET /rest/auth`: the user's profile (with a bearer token it does not open a new session). */
  profile(): Promise<Profile>;
  /** An API bound to one account: every request names it (`X-Account-Id`). */
  forAccount(accountId: string): AccountApi;
  /** For an API token, which is bound to its account: requests name no account. */
  tokenAccount(): AccountApi;
}

export interface SmsFilter {
  direction?: 'in' | 'out';
  from?: string;
  to?: string;
}

export interface CallFilter {
  direction?: 'in' | 'out';
}

/** A POST made with a caller-chosen `Idempotency-Key`, and whether the server replayed an earlier answer. */
export interface Keyed<T> {
  data: T;
  /** True when this key was used before: nothing new was sent, the first answer came back. */
  replayed: boolean;
}

export interface AccountApi {
  account(): Promise<Account>;
  searchNumbers(filter: Omit<InventorySearchRequest, 'country'>, limit: number): Promise<InventoryNumber[]>;
  orderNumbers(request: OrderRequest): Promise<Order>;
  getOrder(uuid: string): Promise<Order>;
  listNumbers(limit: number): Promise<Lease[]>;
  releaseNumber(tnOrUuid: string): Promise<void>;
  sendSms(request: SendSmsRequest): Promise<Sms>;
  listSms(filter: SmsFilter, limit: number): Promise<Sms[]>;
  makeCall(request: CreateCallRequest): Promise<Call>;
  hangupCall(uuid: string): Promise<unknown>;
  getCall(uuid: string): Promise<Call>;
  listCalls(filter: CallFilter, limit: number): Promise<Call[]>;
  /** `sendSms` and `makeCall` with a stable key, so a re-run of the same bulk row sends nothing twice. */
  sendSmsKeyed(request: SendSmsRequest, idempotencyKey: string): Promise<Keyed<Sms>>;
  makeCallKeyed(request: CreateCallRequest, idempotencyKey: string): Promise<Keyed<Call>>;
  /** Demo server only: inbound traffic from the outside world to one of the account's numbers. */
  simulateCall(request: SimulateCallRequest): Promise<Call>;
  simulateSms(request: SimulateSmsRequest): Promise<Sms>;
  listSubscriptions(limit: number): Promise<EventSubscription[]>;
  createSubscription(request: CreateEventSubscriptionRequest): Promise<EventSubscription>;
  deleteSubscription(uuid: string): Promise<void>;
  /** A webhook subscription's deliveries, newest event first. */
  listDeliveries(subscriptionId: string, limit: number): Promise<WebhookDelivery[]>;
  callData(startDate: string, endDate: string): Promise<CallDataRecord[]>;
  createToken(name: string, ttl: number): Promise<ApiToken>;
  listTokens(): Promise<ApiToken[]>;
  revokeToken(uuid: string): Promise<void>;
}
