/**
 * Tidies the schema components of a finished document:
 * - the zod provider emits each named schema twice, as read (`Sms`) and as written (`SmsInput`);
 *   where both are the same JSON, requests refer to the one name, and a name only ever written
 *   (`SendSmsRequestInput`) loses its suffix;
 * - components nothing refers to are dropped (a client gets a type per shape it meets, no more);
 * - names are sorted, so the same server always writes the same document, byte for byte.
 */

type Json = unknown;
const PREFIX = '#/components/schemas/';
const INPUT = 'Input';

function mapRefs(value: Json, rename: (name: string) => string): Json {
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, rename));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof child === 'string' && child.startsWith(PREFIX)
        ? PREFIX + rename(child.slice(PREFIX.length))
        : mapRefs(child, rename);
  }
  return out;
}

function collectRefs(value: Json, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith(PREFIX))
      into.add(child.slice(PREFIX.length));
    else collectRefs(child, into);
  }
}

/** Input names whose JSON equals their read twin, given which other names are already merged. */
function mergeableInputs(schemas: Record<string, Json>): Set<string> {
  let merged = new Set(
    Object.keys(schemas).filter(
      (name) => name.endsWith(INPUT) && schemas[name.slice(0, -INPUT.length)] !== undefined,
    ),
  );
  // Greatest fixpoint: an input merges only if it is equal once the inputs it refers to are merged too.
  for (;;) {
    const current = merged;
    const next = new Set(
      [...current].filter((name) => {
        const asRead = mapRefs(schemas[name], (n) => (current.has(n) ? n.slice(0, -INPUT.length) : n));
        return JSON.stringify(asRead) === JSON.stringify(schemas[name.slice(0, -INPUT.length)]);
      }),
    );
    if (next.size === current.size) return next;
    merged = next;
  }
}

export function tidyComponents<D extends { components?: { schemas?: Record<string, Json> } }>(doc: D): D {
  const schemas = doc.components?.schemas ?? {};
  const merged = mergeableInputs(schemas);
  const toRead = (name: string) => (merged.has(name) ? name.slice(0, -INPUT.length) : name);
  let result = mapRefs({ ...doc, components: { ...doc.components, schemas: {} } }, toRead) as D;
  const renamedSchemas: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!merged.has(name)) renamedSchemas[name] = mapRefs(schema, toRead);
  }

  // Reachability from everything outside components/schemas.
  const reachable = new Set<string>();
  collectRefs(result, reachable);
  for (const queue = [...reachable]; queue.length > 0; ) {
    const next = new Set<string>();
    collectRefs(renamedSchemas[queue.pop() as string], next);
    for (const name of next) {
      if (!reachable.has(name)) {
        reachable.add(name);
        queue.push(name);
      }
    }
  }

  // A written-only shape drops the suffix when its read name is free.
  const drop = (name: string) =>
    name.endsWith(INPUT) && !reachable.has(name.slice(0, -INPUT.length))
      ? name.slice(0, -INPUT.length)
      : name;
  result = mapRefs(result, drop) as D;
  const final: Record<string, Json> = {};
  for (const name of [...reachable]
    .map((n) => [drop(n), n] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    final[name[0]] = mapRefs(renamedSchemas[name[1]], drop);
  }
  const components = (result.components ?? {}) as Record<string, Json>;
  const sortedComponents: Record<string, Json> = {};
  for (const key of Object.keys(components).sort())
    sortedComponents[key] = key === 'schemas' ? final : components[key];
  return { ...result, components: sortedComponents };
}
