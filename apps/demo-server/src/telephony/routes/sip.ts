import {
  CreateSipConnectionRequestSchema,
  CreateSipDomainRequestSchema,
  CreateSipUserRequestSchema,
  LeaseSchema,
  listPayload,
  PaginationQuerySchema,
  SipConnectionSchema,
  SipDomainSchema,
  SipTnLeaseEditRequestSchema,
  SipUserSchema,
  UpdateSipConnectionRequestSchema,
  UpdateSipDomainRequestSchema,
  UpdateSipUserRequestSchema,
} from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { READ, sendOk, typed, WRITE } from '../../http/route-kit.js';
import type { Telephony } from '../telephony.js';
import { accountId, doc, formNumbers, UuidParams } from './shared.js';

const DomainParams = z.strictObject({ domain: z.string().min(1).max(253) });
const UserParams = z.strictObject({ domain: z.string().min(1).max(253), uuid: z.uuid() });

/** SIP: connections (with numbers), domains, users (passwords write-only). */
export function sipRoutes(telephony: Telephony): FastifyPluginAsync {
  return async (fastify) => {
    const app = typed(fastify);
    app.addHook('preValidation', formNumbers(['port']));
    const sip = telephony.sip;

    app.get(
      '/rest/sip/connection',
      {
        config: READ,
        schema: { ...doc('sip', 200, listPayload(SipConnectionSchema)), querystring: PaginationQuerySchema },
      },
      async (req, reply) => sendOk(reply, await sip.listConnections(accountId(req), req.query)),
    );
    app.post(
      '/rest/sip/connection',
      {
        config: WRITE,
        schema: { ...doc('sip', 201, SipConnectionSchema), body: CreateSipConnectionRequestSchema },
      },
      async (req, reply) => sendOk(reply, await sip.createConnection(accountId(req), req.body), 201),
    );
    app.get(
      '/rest/sip/connection/:uuid',
      { config: READ, schema: { ...doc('sip', 200, SipConnectionSchema), params: UuidParams } },
      async (req, reply) => sendOk(reply, await sip.getConnection(accountId(req), req.params.uuid)),
    );
    app.patch(
      '/rest/sip/connection/:uuid',
      {
        config: WRITE,
        schema: {
          ...doc('sip', 200, SipConnectionSchema),
          params: UuidParams,
          body: UpdateSipConnectionRequestSchema,
        },
      },
      async (req, reply) =>
        sendOk(reply, await sip.updateConnection(accountId(req), req.params.uuid, req.body)),
    );
    app.delete(
      '/rest/sip/connection/:uuid',
      { config: WRITE, schema: { ...doc('sip', 204, null), params: UuidParams } },
      async (req, reply) => {
        await sip.deleteConnection(accountId(req), req.params.uuid);
        return reply.code(204).send();
      },
    );
    app.get(
      '/rest/sip/connection/:uuid/tnlease',
      {
        config: READ,
        schema: {
          ...doc('sip', 200, listPayload(LeaseSchema)),
          params: UuidParams,
          querystring: PaginationQuerySchema,
        },
      },
      async (req, reply) =>
        sendOk(reply, await sip.connectionNumbers(accountId(req), req.params.uuid, req.query)),
    );
    app.post(
      '/rest/sip/connection/:uuid/tnlease',
      {
        config: WRITE,
        schema: {
          ...doc('sip', 200, listPayload(LeaseSchema)),
          params: UuidParams,
          body: SipTnLeaseEditRequestSchema,
        },
      },
      async (req, reply) =>
        sendOk(reply, await sip.editConnectionNumbers(accountId(req), req.params.uuid, req.body)),
    );

    app.get(
      '/rest/sip/domain',
      {
        config: READ,
        schema: { ...doc('sip', 200, listPayload(SipDomainSchema)), querystring: PaginationQuerySchema },
      },
      async (req, reply) => sendOk(reply, await sip.listDomains(accountId(req), req.query)),
    );
    app.post(
      '/rest/sip/domain',
      {
        config: WRITE,
        schema: { ...doc('sip', 201, SipDomainSchema, [409]), body: CreateSipDomainRequestSchema },
      },
      async (req, reply) => sendOk(reply, await sip.createDomain(accountId(req), req.body), 201),
    );
    app.get(
      '/rest/sip/domain/:domain',
      { config: READ, schema: { ...doc('sip', 200, SipDomainSchema), params: DomainParams } },
      async (req, reply) => sendOk(reply, await sip.getDomain(accountId(req), req.params.domain)),
    );
    app.patch(
      '/rest/sip/domain/:domain',
      {
        config: WRITE,
        schema: {
          ...doc('sip', 200, SipDomainSchema),
          params: DomainParams,
          body: UpdateSipDomainRequestSchema,
        },
      },
      async (req, reply) =>
        sendOk(reply, await sip.updateDomain(accountId(req), req.params.domain, req.body)),
    );
    app.delete(
      '/rest/sip/domain/:domain',
      { config: WRITE, schema: { ...doc('sip', 204, null), params: DomainParams } },
      async (req, reply) => {
        await sip.deleteDomain(accountId(req), req.params.domain);
        return reply.code(204).send();
      },
    );

    app.get(
      '/rest/sip/domain/:domain/user',
      {
        config: READ,
        schema: {
          ...doc('sip', 200, listPayload(SipUserSchema)),
          params: DomainParams,
          querystring: PaginationQuerySchema,
        },
      },
      async (req, reply) => sendOk(reply, await sip.listUsers(accountId(req), req.params.domain, req.query)),
    );
    app.post(
      '/rest/sip/domain/:domain/user',
      {
        config: WRITE,
        schema: {
          ...doc('sip', 201, SipUserSchema, [409]),
          params: DomainParams,
          body: CreateSipUserRequestSchema,
        },
      },
      async (req, reply) =>
        sendOk(reply, await sip.createUser(accountId(req), req.params.domain, req.body), 201),
    );
    app.get(
      '/rest/sip/domain/:domain/user/:uuid',
      { config: READ, schema: { ...doc('sip', 200, SipUserSchema), params: UserParams } },
      async (req, reply) =>
        sendOk(reply, await sip.getUser(accountId(req), req.params.domain, req.params.uuid)),
    );
    app.patch(
      '/rest/sip/domain/:domain/user/:uuid',
      {
        config: WRITE,
        schema: { ...doc('sip', 200, SipUserSchema), params: UserParams, body: UpdateSipUserRequestSchema },
      },
      async (req, reply) =>
        sendOk(reply, await sip.updateUser(accountId(req), req.params.domain, req.params.uuid, req.body)),
    );
    app.delete(
      '/rest/sip/domain/:domain/user/:uuid',
      { config: WRITE, schema: { ...doc('sip', 204, null), params: UserParams } },
      async (req, reply) => {
        await sip.deleteUser(accountId(req), req.params.domain, req.params.uuid);
        return reply.code(204).send();
      },
    );
  };
}
