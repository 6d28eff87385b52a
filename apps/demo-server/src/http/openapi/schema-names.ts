import * as types from '@callwire/types';
import { z } from 'zod';

export type SchemaNames = z.core.$ZodRegistry<{ id: string }>;

/**
 * Names every schema `@callwire/types` exports (`SmsSchema` → `Sms`), so the document refers to
 * `#/components/schemas/Sms` instead of repeating its shape, and a generated client has a type to
 * import per resource. A registry of its own, filled here, so the shared zod registry and the
 * package's source stay untouched. A schema exported under two names (an alias) gets the shorter
 * one (`Session`, not `LoginResponse`), then the first in alphabetical order.
 */
export function schemaNames(): SchemaNames {
  const registry: SchemaNames = z.registry<{ id: string }>();
  const exported = types as unknown as Record<string, unknown>;
  const names = Object.keys(exported).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const schema = exported[name];
    if (!name.endsWith('Schema') || !(schema instanceof z.ZodType) || registry.has(schema)) continue;
    registry.add(schema, { id: name.slice(0, -'Schema'.length) });
  }
  return registry;
}
