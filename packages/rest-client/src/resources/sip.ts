import type {
  CreateSipConnectionRequest,
  CreateSipDomainRequest,
  CreateSipUserRequest,
  Lease,
  SipConnection,
  SipDomain,
  SipTnLeaseEditRequest,
  SipUser,
  UpdateSipConnectionRequest,
  UpdateSipDomainRequest,
  UpdateSipUserRequest,
} from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import { type Requester, segment } from '../requester.js';
import { ref } from '../responses.js';
import { offsetList } from './list.js';
import { type CrudApi, crud } from './profiles.js';

/** SIP connections and the numbers routed to them (`client.sip.connections`). */
export interface SipConnectionsApi
  extends CrudApi<SipConnection, CreateSipConnectionRequest, UpdateSipConnectionRequest> {
  /** Numbers routed to the connection. */
  tnLeases(uuid: string, options?: ListOptions): PageIterator<Lease>;
  /** Route numbers to it (`add`) or away from it (`remove`). */
  editTnLeases(uuid: string, edit: SipTnLeaseEditRequest, options?: RequestOptions): ApiPromise<unknown>;
}

/** SIP domains are addressed by their name (`acme.sip.example`). */
export type SipDomainsApi = CrudApi<SipDomain, CreateSipDomainRequest, UpdateSipDomainRequest>;

/** SIP users of one domain; passwords are write-only and never returned. */
export interface SipUsersApi {
  /** Every user of the domain. */
  list(domain: string, options?: ListOptions): PageIterator<SipUser>;
  /** Creates a user; its password is never returned. */
  create(domain: string, body: CreateSipUserRequest, options?: RequestOptions): ApiPromise<SipUser>;
  /** One user. */
  get(domain: string, uuid: string, options?: RequestOptions): ApiPromise<SipUser>;
  /** Changes a user's password or caller id. */
  update(
    domain: string,
    uuid: string,
    body: UpdateSipUserRequest,
    options?: RequestOptions,
  ): ApiPromise<SipUser>;
  /** Deletes a user. */
  delete(domain: string, uuid: string, options?: RequestOptions): ApiPromise<void>;
}

/** SIP: connections, domains and users (`client.sip`). */
export interface SipApi {
  connections: SipConnectionsApi;
  domains: SipDomainsApi;
  users: SipUsersApi;
}

export function sipApi(r: Requester): SipApi {
  const tnlease = (uuid: string) => `sip/connection/${segment(uuid, 'uuid')}/tnlease`;
  const users = (domain: string) => `sip/domain/${segment(domain, 'domain')}/user`;
  const user = (domain: string, uuid: string) => `${users(domain)}/${segment(uuid, 'uuid')}`;
  return {
    connections: {
      ...crud<SipConnection, CreateSipConnectionRequest, UpdateSipConnectionRequest>(
        r,
        'sip/connection',
        'sip.connections',
        ref('SipConnection'),
        ref('SipConnectionPage'),
      ),
      tnLeases: (uuid, options) =>
        offsetList(
          r,
          (query) => ({
            method: 'get',
            path: tnlease(uuid),
            query,
            schema: ref('LeasePage'),
            endpoint: 'sip.connections.tnLeases',
          }),
          options,
        ),
      editTnLeases: (uuid, body, options) =>
        r.request<unknown>(
          { method: 'post', path: tnlease(uuid), body, endpoint: 'sip.connections.editTnLeases' },
          options,
        ),
    },
    domains: crud(r, 'sip/domain', 'sip.domains', ref('SipDomain'), ref('SipDomainPage'), 'domain'),
    users: {
      list: (domain, options) =>
        offsetList(
          r,
          (query) => ({
            method: 'get',
            path: users(domain),
            query,
            schema: ref('SipUserPage'),
            endpoint: 'sip.users.list',
          }),
          options,
        ),
      create: (domain, body, options) =>
        r.request(
          { method: 'post', path: users(domain), body, schema: ref('SipUser'), endpoint: 'sip.users.create' },
          options,
        ),
      get: (domain, uuid, options) =>
        r.request(
          { method: 'get', path: user(domain, uuid), schema: ref('SipUser'), endpoint: 'sip.users.get' },
          options,
        ),
      update: (domain, uuid, body, options) =>
        r.request(
          {
            method: 'patch',
            path: user(domain, uuid),
            body,
            schema: ref('SipUser'),
            endpoint: 'sip.users.update',
          },
          options,
        ),
      delete: (domain, uuid, options) =>
        r.request<void>(
          { method: 'delete', path: user(domain, uuid), endpoint: 'sip.users.delete' },
          options,
        ),
    },
  };
}
