import type {
  CreateMessagingProfileRequest,
  CreateTnProfileRequest,
  ListPayload,
  MessagingProfile,
  NumberListEditRequest,
  TnProfile,
  UpdateMessagingProfileRequest,
  UpdateTnProfileRequest,
} from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import { type Requester, segment } from '../requester.js';
import { ref, type SchemaRef } from '../responses.js';
import { offsetList } from './list.js';

/** Create, read, update, delete and list of one kind of resource. */
export interface CrudApi<T, Create, Update> {
  /** Every resource of the kind, a page at a time. */
  list(options?: ListOptions): PageIterator<T>;
  /** Creates one. */
  create(body: Create, options?: RequestOptions): ApiPromise<T>;
  /** One, by uuid. */
  get(uuid: string, options?: RequestOptions): ApiPromise<T>;
  /** Changes the fields given; the others stay. */
  update(uuid: string, body: Update, options?: RequestOptions): ApiPromise<T>;
  /** Deletes one. */
  delete(uuid: string, options?: RequestOptions): ApiPromise<void>;
}

/** TN profiles: who may call in. A blacklisted caller, or one missing from a non-empty whitelist, is rejected. */
export interface TnProfilesApi extends CrudApi<TnProfile, CreateTnProfileRequest, UpdateTnProfileRequest> {
  /** Add and/or remove numbers on the blacklist. */
  blacklist(uuid: string, edit: NumberListEditRequest, options?: RequestOptions): ApiPromise<TnProfile>;
  /** Add and/or remove numbers on the whitelist. */
  whitelist(uuid: string, edit: NumberListEditRequest, options?: RequestOptions): ApiPromise<TnProfile>;
}

/** Messaging profiles: pools of SMS numbers with a callback URL and sender rules (`client.messagingProfiles`). */
export type MessagingProfilesApi = CrudApi<
  MessagingProfile,
  CreateMessagingProfileRequest,
  UpdateMessagingProfileRequest
>;

export function crud<T, C, U>(
  r: Requester,
  base: string,
  name: string,
  schema: SchemaRef<T>,
  page: SchemaRef<ListPayload<T>>,
  idName = 'uuid',
): CrudApi<T, C, U> {
  const one = (id: string) => `${base}/${segment(id, idName)}`;
  return {
    list: (options) =>
      offsetList(
        r,
        (query) => ({ method: 'get', path: base, query, schema: page, endpoint: `${name}.list` }),
        options,
      ),
    create: (body, options) =>
      r.request({ method: 'post', path: base, body, schema, endpoint: `${name}.create` }, options),
    get: (uuid, options) =>
      r.request({ method: 'get', path: one(uuid), schema, endpoint: `${name}.get` }, options),
    update: (uuid, body, options) =>
      r.request({ method: 'patch', path: one(uuid), body, schema, endpoint: `${name}.update` }, options),
    delete: (uuid, options) =>
      r.request<void>({ method: 'delete', path: one(uuid), endpoint: `${name}.delete` }, options),
  };
}

export function tnProfilesApi(r: Requester): TnProfilesApi {
  const edit =
    (list: 'blacklist' | 'whitelist') =>
    (uuid: string, body: NumberListEditRequest, options?: RequestOptions) =>
      r.request(
        {
          method: 'post',
          path: `profile/tn/${segment(uuid, 'uuid')}/${list}`,
          body,
          schema: ref('TnProfile'),
          endpoint: `tnProfiles.${list}`,
        },
        options,
      );
  return {
    ...crud<TnProfile, CreateTnProfileRequest, UpdateTnProfileRequest>(
      r,
      'profile/tn',
      'tnProfiles',
      ref('TnProfile'),
      ref('TnProfilePage'),
    ),
    blacklist: edit('blacklist'),
    whitelist: edit('whitelist'),
  };
}

export function messagingProfilesApi(r: Requester): MessagingProfilesApi {
  return crud(
    r,
    'profile/messaging',
    'messagingProfiles',
    ref('MessagingProfile'),
    ref('MessagingProfilePage'),
  );
}
