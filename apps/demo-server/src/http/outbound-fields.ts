import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import type { OutboundHttp } from './outbound.js';

/**
 * Body fields that name a URL the server will later request: a webhook subscription's `url`, an SMS
 * `custom_callback_url`, a messaging profile's `callback_url`, a call's or number's `call_flow_url`.
 * Every one is checked against the outbound address policy when it is given, wherever it appears
 * in a body, so a refused destination is a 400 naming the field instead of a silent failure later.
 */
export const OUTBOUND_URL_FIELDS: ReadonlySet<string> = new Set([
  'url',
  'callback_url',
  'custom_callback_url',
  'call_flow_url',
]);

const MAX_DEPTH = 3;

/** Throws 400 `validation_failed` with every refused URL field of the body. */
export function checkOutboundUrls(request: FastifyRequest, outbound: OutboundHttp): void {
  const fields: Record<string, { message: string }> = {};
  walk(request.body, 'body', 0, outbound, fields);
  const first = Object.entries(fields)[0];
  if (first !== undefined) {
    throw new ApiError('validation_failed', `${first[0]}: ${first[1].message}`, { fields });
  }
}

function walk(
  value: unknown,
  path: string,
  depth: number,
  outbound: OutboundHttp,
  fields: Record<string, { message: string }>,
): void {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (typeof item === 'string' && OUTBOUND_URL_FIELDS.has(key)) {
      const refused = outbound.urlRefusal(item);
      // Malformed URLs are left to the schema, which says what a URL must look like.
      if (refused !== undefined && URL.canParse(item)) fields[at] = { message: refused };
    } else {
      walk(item, at, depth + 1, outbound, fields);
    }
  }
}
