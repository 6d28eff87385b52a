export {
  AccountRequiredError,
  AuthenticationError,
  CallwireError,
  ConflictError,
  InsufficientBalanceError,
  isCallwireError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '@callwire/auth-core';
export { ApiPromise, type WithResponse } from './api-promise.js';
export { CALL_DATA_CSV_COLUMNS, callDataToCsv } from './call-data-csv.js';
export { type CallwireClient, createClient, type RawRequest } from './client.js';
export { type ResponseIssue, ResponseValidationError } from './errors.js';
export type { ClientLogger, ClientOptions, RequestOptions, RetryOptions } from './options.js';
export { type ListOptions, type Page, PageIterator, type PageParams } from './paginate.js';
export type { Method, Query } from './requester.js';
export type { AccountsApi } from './resources/accounts.js';
export type { AuthApi, TokensApi } from './resources/auth.js';
export type { BatchesApi, WaitOptions } from './resources/batches.js';
export type { BridgeResult, CallsApi } from './resources/calls.js';
export {
  type BackfillOptions,
  EventBackfill,
  type EventsApi,
  type SubscriptionsApi,
} from './resources/events.js';
export type { InventorySearch, NumbersApi, OrdersApi } from './resources/numbers.js';
export type { CrudApi, MessagingProfilesApi, TnProfilesApi } from './resources/profiles.js';
export type { ReportsApi } from './resources/reports.js';
export type { SimulateApi } from './resources/simulate.js';
export type { SipApi, SipConnectionsApi, SipDomainsApi, SipUsersApi } from './resources/sip.js';
export type { SmsApi } from './resources/sms.js';
export type { UsersApi } from './resources/users.js';
export type { ResponseName, ResponseTypes, SchemaRef } from './responses.js';
export type { ResponseSchemas, ResponseValidation, Schema, ValidationMode } from './validate.js';
