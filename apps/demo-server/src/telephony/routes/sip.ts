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
import { accountId, doc, formNumbers, ok, READ, telephonyOf, typed, UuidParams, WRITE } from './shared.js';

const DomainParams = z.strictObject({ domain: z.string().min(1).max(253) });
const UserParams = z.strictObject({ domain: z.string().min(1).max(253), uuid: z.uuid() });

/** SIP: connections (with numbers), domains, users (passwords write-only). */
export const sipRoutes: FastifyPluginAsync = async (fastify) => {
  const app = typed(fastify);
  app.addHook('preValidation', formNumbers(['port']));
  const t = () => telephonyOf(fastify).sip;

  app.get(
    '/rest/sip/connection',
    {
      config: READ,
      schema: { ...doc('sip', 200, listPayload(SipConnectionSchema)), querystring: PaginationQuerySchema },
    },
    async (req, reply) => ok(reply, await t().listConnections(accountId(req), req.query)),
  );
  app.post(
    '/rest/sip/connection',
    {
      config: WRITE,
      schema: { ...doc('sip', 201, SipConnectionSchema), body: CreateSipConnectionRequestSchema },
    },
    async (req, reply) => ok(reply, await t().createConnection(accountId(req), req.body), 201),
  );
  app.get(
    '/rest/sip/connection/:uuid',
    { config: READ, schema: { ...doc('sip', 200, SipConnectionSchema), params: UuidParams } },
    async (req, reply) => ok(reply, await t().getConnection(accountId(req), req.params.uuid)),
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
    async (req, reply) => ok(reply, await t().updateConnection(accountId(req), req.params.uuid, req.body)),
  );
  app.delete(
    '/rest/sip/connection/:uuid',
    { config: WRITE, schema: { ...doc('sip', 204, null), params: UuidParams } },
    async (req, reply) => {
      await t().deleteConnection(accountId(req), req.params.uuid);
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
    async (req, reply) => ok(reply, await t().connectionNumbers(accountId(req), req.params.uuid, req.query)),
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
      ok(reply, await t().editConnectionNumbers(accountId(req), req.params.uuid, req.body)),
  );

  app.get(
    '/rest/sip/domain',
    {
      config: READ,
      schema: { ...doc('sip', 200, listPayload(SipDomainSchema)), querystring: PaginationQuerySchema },
    },
    async (req, reply) => ok(reply, await t().listDomains(accountId(req), req.query)),
  );
  app.post(
    '/rest/sip/domain',
    {
      config: WRITE,
      schema: { ...doc('sip', 201, SipDomainSchema, [409]), body: CreateSipDomainRequestSchema },
    },
    async (req, reply) => ok(reply, await t().createDomain(accountId(req), req.body), 201),
  );
  app.get(
    '/rest/sip/domain/:domain',
    { config: READ, schema: { ...doc('sip', 200, SipDomainSchema), params: DomainParams } },
    async (req, reply) => ok(reply, await t().getDomain(accountId(req), req.params.domain)),
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
    async (req, reply) => ok(reply, await t().updateDomain(accountId(req), req.params.domain, req.body)),
  );
  app.delete(
    '/rest/sip/domain/:domain',
    { config: WRITE, schema: { ...doc('sip', 204, null), params: DomainParams } },
    async (req, reply) => {
      await t().deleteDomain(accountId(req), req.params.domain);
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
    async (req, reply) => ok(reply, await t().listUsers(accountId(req), req.params.domain, req.query)),
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
    async (req, reply) => ok(reply, await t().createUser(accountId(req), req.params.domain, req.body), 201),
  );
  app.get(
    '/rest/sip/domain/:domain/user/:uuid',
    { config: READ, schema: { ...doc('sip', 200, SipUserSchema), params: UserParams } },
    async (req, reply) => ok(reply, await t().getUser(accountId(req), req.params.domain, req.params.uuid)),
  );
  app.patch(
    '/rest/sip/domain/:domain/user/:uuid',
    {
      config: WRITE,
      schema: { ...doc('sip', 200, SipUserSchema), params: UserParams, body: UpdateSipUserRequestSchema },
    },
    async (req, reply) =>
      ok(reply, await t().updateUser(accountId(req), req.params.domain, req.params.uuid, req.body)),
  );
  app.delete(
    '/rest/sip/domain/:domain/user/:uuid',
    { config: WRITE, schema: { ...doc('sip', 204, null), params: UserParams } },
    async (req, reply) => {
      await t().deleteUser(accountId(req), req.params.domain, req.params.uuid);
      return reply.code(204).send();
    },
  );
};
