// Benchmark: what @callwire/rest-client costs on top of ky, and both on top of raw fetch.
// One run, one target server in its own process, interleaved rounds (each round runs every variant
// in a random order, so drift in machine load hits all alike), medians of per-request times.
// Usage: pnpm --filter @callwire/rest-client bench   (ROUNDS=… REQUESTS=… to change the size)
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import './resolve-ts.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 25);
const REQUESTS = Number(process.env.REQUESTS ?? 300);
const TOKEN = 'bench-token-0123456789abcdef';

const { createClient } = await import('../src/index.ts');
const { validateResponses } = await import('../src/validation.ts');
const { createSessionAuth, createTokenAuth } = await import('@callwire/auth-core');
const { default: ky } = await import('ky');

const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], { stdio: 'inherit' });
const port = await new Promise<number>((resolve) =>
  child.once('message', (m) => resolve((m as { port: number }).port)),
);
const baseUrl = `http://127.0.0.1:${port}`;
const url = `${baseUrl}/rest/account`;

// The same options everywhere: per-attempt timeout, total timeout, two retries.
const timeout = 30_000;
const totalTimeout = 120_000;
const bareKy = ky.create({
  headers: { accept: 'application/json' },
  timeout,
  totalTimeout,
  retry: { limit: 2, jitter: true },
  hooks: {
    beforeRequest: [
      ({ request }) => {
        request.headers.set('authorization', `Bearer ${TOKEN}`);
      },
    ],
  },
});
const auth = createTokenAuth({ token: TOKEN }); // API token: a static Bearer header
const off = createClient({ baseUrl, auth, timeout, totalTimeout });
const strict = createClient({ baseUrl, auth, timeout, totalTimeout, validate: validateResponses('strict') });
const sessionAuth = createSessionAuth({ baseUrl, username: 'alice@example.com', password: 'bench-password' });
const session = createClient({ baseUrl, auth: sessionAuth, timeout, totalTimeout });

const variants: Record<string, () => Promise<unknown>> = {
  'raw fetch': async () => {
    const response = await fetch(url, {
      headers: { accept: 'application/json', authorization: `Bearer ${TOKEN}` },
    });
    return ((await response.json()) as { payload: unknown }).payload;
  },
  'bare ky': async () => ((await bareKy.get(url).json()) as { payload: unknown }).payload,
  'client, validate off': () => off.accounts.current(),
  'client, validate strict': () => strict.accounts.current(),
  'client, session auth, off': () => session.accounts.current(),
};
const names = Object.keys(variants);
const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));

// A collection before each block, so one variant's garbage is not collected on another's clock.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function measure(fn: () => Promise<unknown>): Promise<number> {
  gc();
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) await fn();
  return ((performance.now() - start) * 1000) / REQUESTS; // µs per request
}

for (const name of names) await measure(variants[name]!); // warm-up: JIT, keep-alive sockets
for (let round = 0; round < ROUNDS; round++) {
  // A fresh random order each round: no variant always runs first, or always after the same one.
  const order = [...names];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const name of order) samples[name]!.push(await measure(variants[name]!));
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const m = Object.fromEntries(names.map((n) => [n, median(samples[n]!)]));
const fmt = (x: number) => x.toFixed(2);
console.log(
  `GET /rest/account, ${ROUNDS} interleaved rounds x ${REQUESTS} sequential requests, median µs/request`,
);
for (const name of names)
  console.log(
    `  ${name.padEnd(26)} ${m[name]!.toFixed(1).padStart(8)} µs   ${fmt(m[name]! / m['raw fetch']!)}x raw fetch`,
  );
const clientVsKy = m['client, validate off']! / m['bare ky']!;
const validation = m['client, validate strict']! / m['client, validate off']!;
console.log(`client (validate off) / bare ky:      ${fmt(clientVsKy)}x  (target <= 1.10x)`);
console.log(`client strict / client off:           ${fmt(validation)}x  (target <= 1.10x)`);
console.log(`client with session auth / bare ky:   ${fmt(m['client, session auth, off']! / m['bare ky']!)}x`);

// The validation itself, without the network: what strict adds per response.
const { AccountSchema } = await import('@callwire/types');
const sample = await off.accounts.current();
child.disconnect();
for (let i = 0; i < 20_000; i++) AccountSchema.safeParse(sample);
const parseStart = performance.now();
for (let i = 0; i < 100_000; i++) AccountSchema.safeParse(sample);
console.log(
  `AccountSchema.safeParse alone:        ${((performance.now() - parseStart) / 100).toFixed(2)} µs per response`,
);

// Browser bundle of everything the main entry exports, from the sources (with ky, and without), minified +
// gzipped. Validation is a separate entry and not part of it; apps as users build them are measured from the
// packed tarballs by the release check.
const requireFromTsdown = createRequire(createRequire(import.meta.url).resolve('tsdown'));
interface RolldownOutput {
  output: ({ code: string } | { source: unknown })[];
}
type Build = (options: Record<string, unknown>) => Promise<RolldownOutput>;
const { build } = (await import(requireFromTsdown.resolve('rolldown'))) as { build: Build };
async function bundleSize(external: string[]): Promise<{ min: number; gzip: number }> {
  const result = await build({
    input: fileURLToPath(new URL('../src/index.ts', import.meta.url)),
    platform: 'browser',
    external,
    resolve: { conditionNames: ['source', 'browser', 'import', 'default'] },
    output: { format: 'esm', minify: true },
    write: false,
  });
  const code = result.output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('');
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const all = await bundleSize([]);
const ours = await bundleSize(['ky']);
console.log(
  `browser bundle, main entry (rest-client + auth-core + ky): ${kb(all.min)} min, ${kb(all.gzip)} min+gzip`,
);
console.log(
  `browser bundle, ours only (ky external):                  ${kb(ours.min)} min, ${kb(ours.gzip)} min+gzip`,
);
