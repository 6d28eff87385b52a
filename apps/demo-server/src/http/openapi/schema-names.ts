import * as types from '@callwire/types';
import { z } from 'zod';

/** A component's name, and JSON Schema keywords for rules zod checks in code (refinements). */
export type SchemaMeta = { id: string } & Record<string, unknown>;
export type SchemaNames = z.core.$ZodRegistry<SchemaMeta>;

const editList = (field: string) => ({ required: [field], properties: { [field]: { minItems: 1 } } });

/**
 * What the refinements of request shapes check, said in JSON Schema so the document refuses what
 * the server refuses (a validating gateway, a generated client and the server then agree). Keyed by
 * export name; the conformance suite fails when one of them drifts from the zod rule.
 */
const REFINEMENTS: Record<string, Record<string, unknown>> = {
  PhoneNumberSchema: {
    description:
      'E.164 (`+12015550123`), a 10-digit US number (`2015550123`) or 1 followed by 10 digits; spaces, dots, dashes and parentheses are ignored. Answers always use E.164.',
    pattern: '^[\\s().-]*\\+?[\\s().-]*(\\d[\\s().-]*){8,15}$',
  },
  SendSmsRequestSchema: { oneOf: [{ required: ['from'] }, { required: ['from_pool'] }] },
  UpdateAccountUserRequestSchema: { anyOf: [{ required: ['access'] }, { required: ['api_access'] }] },
  NumberListEditRequestSchema: { anyOf: [editList('add'), editList('remove')] },
  SipTnLeaseEditRequestSchema: { anyOf: [editList('add'), editList('remove')] },
  CreateEventSubscriptionRequestSchema: {
    if: { required: ['channel'], properties: { channel: { const: 'webhook' } } },
    // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword
    then: { required: ['url'] },
    else: { not: { required: ['url'] } },
  },
  UpdateEventSubscriptionRequestSchema: {
    anyOf: ['types', 'url', 'is_active', 'expired_on'].map((field) => ({ required: [field] })),
  },
};

/**
 * Names every schema `@callwire/types` exports (`SmsSchema` → `Sms`), so the document refers to
 * `#/components/schemas/Sms` instead of repeating its shape, and a generated client has a type to
 * import per resource. A registry of its own, filled here, so the shared zod registry and the
 * package's source stay untouched. A schema exported under two names (an alias) gets the shorter
 * one (`Session`, not `LoginResponse`), then the first in alphabetical order.
 */
export function schemaNames(): SchemaNames {
  const registry: SchemaNames = z.registry<SchemaMeta>();
  const exported = types as unknown as Record<string, unknown>;
  const names = Object.keys(exported).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const schema = exported[name];
    if (!name.endsWith('Schema') || !(schema instanceof z.core.$ZodType) || registry.has(schema)) continue;
    registry.add(schema, { ...REFINEMENTS[name], id: name.slice(0, -'Schema'.length) });
  }
  return registry;
}
