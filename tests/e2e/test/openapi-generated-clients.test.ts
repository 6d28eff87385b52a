import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient as heyApi } from '@hey-api/openapi-ts';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, BAYSIDE, type RestServer, startRestServer } from './helpers/rest-server.js';

const E2E = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROGRAM = join(E2E, 'generated-client', 'program.ts');

/** What generated-client/program.ts exports (its own types exist only once the schema is generated). */
interface GeneratedProgram {
  run(
    baseUrl: string,
    acme: string,
    bayside: string,
  ): Promise<{
    accounts: string[];
    byHeader?: { uuid: string };
    byQuery?: { uuid: string };
    withoutAccount?: string;
    numbers: string[];
    sent?: { uuid: string };
    read?: { uuid: string };
    eventsLastSeq?: number;
    tokenName?: string;
    tokensListed?: number;
    revoked: number;
  }>;
}

/** Type-checks files as a user's strict project would; returns the diagnostics as text. */
function compile(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** Every `x as T`, `<T>x` and `x!` in a source file. */
function typeAssertions(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
      found.push(node.getText(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('clients generated from the live /openapi.json', () => {
  let server: RestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startRestServer();
    // Inside the e2e package, so the generated code resolves openapi-fetch like a user's project would.
    dir = mkdtempSync(join(E2E, '.generated-'));
  });
  afterAll(async () => {
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('openapi-typescript: named types, and a strict program calls ten operations (bob picking his account) with no type assertions', {
    timeout: 60_000,
  }, async () => {
    const schema = astToString(await openapiTS(new URL(`${server.url}/openapi.json`)));
    writeFileSync(join(dir, 'schema.ts'), schema);
    copyFileSync(PROGRAM, join(dir, 'program.ts'));
    // Named component types to import, not inline shapes repeated per operation.
    expect(schema).toMatch(/\n\s+Sms: \{/);
    expect(schema).toContain('payload: components["schemas"]["Sms"]');

    expect(typeAssertions(PROGRAM)).toEqual([]);
    expect(compile([join(dir, 'program.ts')])).toEqual([]);

    const { run } = (await import(join(dir, 'program.ts'))) as GeneratedProgram;
    const outcome = await run(server.url, ACME, BAYSIDE);
    expect(outcome.accounts.sort()).toEqual(['Acme Dental', 'Bayside Realty']);
    expect(outcome.byHeader?.uuid).toBe(ACME);
    expect(outcome.byQuery?.uuid).toBe(BAYSIDE);
    expect(outcome.withoutAccount).toBe('account_required');
    expect(outcome.numbers.length).toBeGreaterThan(0);
    expect(outcome.sent).toMatchObject({ from: outcome.numbers[0], to: '+12015550142', state: 'created' });
    expect(outcome.read?.uuid).toBe(outcome.sent?.uuid);
    expect(outcome.eventsLastSeq).toBeGreaterThan(0);
    expect(outcome.tokenName).toBe('generated');
    expect(outcome.tokensListed).toBeGreaterThan(0);
    expect(outcome.revoked).toBe(204);
  });

  it('@hey-api/openapi-ts: generates a typed SDK that compiles under strict', {
    timeout: 60_000,
  }, async () => {
    const out = join(dir, 'hey-api');
    await heyApi({
      input: `${server.url}/openapi.json`,
      output: out,
      logs: { level: 'silent' },
    });
    const files = readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(out, f));
    const types = readFileSync(join(out, 'types.gen.ts'), 'utf8');
    expect(types).toMatch(/export type Sms = \{/);
    expect(readFileSync(join(out, 'sdk.gen.ts'), 'utf8')).toMatch(/export const sendSms = /);
    expect(compile(files)).toEqual([]);
  });
});
