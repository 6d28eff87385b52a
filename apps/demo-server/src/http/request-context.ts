import type { FastifyRequest } from 'fastify';
import type { Principal } from '../identity/auth/principal.js';
import { ApiError } from './api-error.js';
import type { ScopedAccount } from './fastify-types.js';

/** The principal of an authenticated route (throws if the route was declared without auth). */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new ApiError('unauthenticated', 'Authentication required');
  return request.principal;
}

/** The account of a scoped route (throws if the route was not declared `scoped`). */
export function accountOf(request: FastifyRequest): ScopedAccount {
  if (request.account === null) throw new Error(`route ${request.routeOptions.url} is not declared scoped`);
  return request.account;
}
