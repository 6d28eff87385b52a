import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import * as T from '../src/index.js';
import { seed003Profile } from './fixtures.js';

const schemas: [string, z.core.$ZodType][] = [];
for (const [name, value] of Object.entries(T) as [string, unknown][]) {
  if (name.endsWith('Schema') && value instanceof z.core.$ZodType) schemas.push([name, value]);
}

describe('schemas are the single source for OpenAPI', () => {
  it('exports a schema for every area of the contract', () => {
    expect(schemas.length).toBeGreaterThan(80);
  });

  for (const [name, schema] of schemas) {
    it(`${name} converts to JSON Schema (input and output)`, () => {
      const input = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
      const output = z.toJSONSchema(schema, {
        io: 'output',
        target: 'draft-2020-12',
        unrepresentable: 'any',
      });
      expect(typeof input).toBe('object');
      expect(typeof output).toBe('object');
    });
  }
});

describe('the documented GET /rest/auth example', () => {
  it('parses with the profile schema inside the success envelope', () => {
    const r = T.successEnvelope(T.ProfileSchema).parse(seed003Profile);
    expect(r.payload.account.balance).toBe(99.87895);
    expect(r.payload.role).toBe('User');
  });
});
