// Benchmarks for @callwire/auth-core. Every number is printed next to a baseline measured in the
// same process, because absolute numbers on a shared 2-core machine mean little.
import './resolve-ts.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const lib = await import('@callwire/auth-core');
const { createSessionAuth, createTokenAuth, encodeBasic, parseBasic, signWebhook, verifyWebhook } = lib;

function perCall(fn: () => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return ((performance.now() - start) * 1000) / iterations;
}

async function perCallAsync(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) await fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return ((performance.now() - start) * 1000) / iterations;
}

const rows: [string, string, string][] = [];
const row = (name: string, us: number, baseline?: number) =>
  rows.push([name, `${us.toFixed(3)} µs`, baseline === undefined ? '' : `${(us / baseline).toFixed(2)}x`]);

// --- authorize() with a warm token -----------------------------------------------------------
const session = {
  token: 'tok_bench_0123456789abcdef',
  token_expiration: new Date(Date.now() + 3_600_000).toISOString(),
  token_lifetime: 3600,
  refresh_token: 'rt_bench',
  refresh_token_expiration: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  user: { uuid: 'a11ce000-0000-4000-8000-000000000001' },
  account: { uuid: '0b6f5a1e-3c2d-4e8f-9a7b-1c2d3e4f5a6b' },
};
const fakeFetch = async () =>
  new Response(JSON.stringify({ success: true, payload: session }), { status: 200 });
const sessionAuth = createSessionAuth({
  baseUrl: 'http://bench.invalid',
  username: 'u',
  password: 'p',
  fetch: fakeFetch,
});
const tokenAuth = createTokenAuth({
  token: 'cw_api_bench',
  accountId: '0b6f5a1e-3c2d-4e8f-9a7b-1c2d3e4f5a6b',
});
const headers = new Headers();
const target = { headers };
await sessionAuth.authorize(target);

const N = 500_000;
const baseSet = perCall(() => headers.set('authorization', 'Bearer tok_bench_0123456789abcdef'), N);
const baseAwait = await perCallAsync(async () => {
  headers.set('authorization', 'Bearer tok_bench_0123456789abcdef');
}, N);
row('baseline: headers.set()', baseSet);
row('baseline: await async headers.set()', baseAwait, baseSet);
row(
  'session authorize() warm (awaited)',
  await perCallAsync(() => sessionAuth.authorize(target), N),
  baseAwait,
);
row(
  'token authorize() + X-Account-Id (awaited)',
  await perCallAsync(() => tokenAuth.authorize(target), N),
  baseAwait,
);

// --- RFC 7617 codec -------------------------------------------------------------------------
const header = encodeBasic('alice@example.com', 'alice-pass-1');
const utf8Header = encodeBasic('zoë@example.com', 'пароль-£-🔑');
const naive = () => {
  const [user, ...rest] = atob(header.slice(6)).split(':');
  return { user, pass: rest.join(':') };
};
const baseParse = perCall(naive, N);
row('baseline: atob + split (no checks)', baseParse);
row(
  'parseBasic ASCII',
  perCall(() => parseBasic(header), N),
  baseParse,
);
row(
  'parseBasic UTF-8',
  perCall(() => parseBasic(utf8Header), N),
  baseParse,
);
row(
  'encodeBasic',
  perCall(() => encodeBasic('alice@example.com', 'alice-pass-1'), N),
  baseParse,
);

// --- webhook --------------------------------------------------------------------------------
const body = JSON.stringify({ uuid: 'e1', type: 'sms.sent', seq: 1, payload: { text: 'x'.repeat(500) } });
const signature = await signWebhook({ secret: 'whsec_bench', payload: body });
row(
  'signWebhook (1 KiB body)',
  await perCallAsync(() => signWebhook({ secret: 'whsec_bench', payload: body }), 20_000),
);
row(
  'verifyWebhook (1 KiB body)',
  await perCallAsync(
    () => verifyWebhook({ secret: 'whsec_bench', payload: body, header: signature }),
    20_000,
  ),
);

// --- refresh storm against a local HTTP server ------------------------------------------------
let refreshes = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/rest/auth/refresh') refreshes += 1;
    const payload = { ...session, token: `tok_${refreshes}`, refresh_token: `rt_${refreshes}` };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ success: true, payload }));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const roundTrip = async () => {
  const response = await fetch(`${baseUrl}/rest/auth/refresh`, {
    method: 'POST',
    body: '{"refresh_token":"x"}',
  });
  await response.text();
};
for (let i = 0; i < 50; i++) await roundTrip();
let start = performance.now();
for (let i = 0; i < 50; i++) await roundTrip();
const oneRoundTrip = (performance.now() - start) / 50;

let now = Date.now();
const clock = () => now;
const stormAuth = createSessionAuth({ baseUrl, username: 'u', password: 'p', clock });
await stormAuth.authorize({ headers: new Headers() });
const storms: number[] = [];
refreshes = 0;
for (let round = 0; round < 20; round++) {
  now += 3_600_001;
  const targets = Array.from({ length: 1000 }, () => ({ headers: new Headers() }));
  start = performance.now();
  await Promise.all(targets.map((t) => stormAuth.authorize(t)));
  storms.push(performance.now() - start);
}
storms.sort((a, b) => a - b);
const median = storms[Math.floor(storms.length / 2)] as number;
server.close();

console.log('@callwire/auth-core benchmarks (Node %s)\n', process.version);
const width = Math.max(...rows.map((r) => r[0].length));
for (const [name, value, ratio] of rows)
  console.log(`${name.padEnd(width)}  ${value.padStart(12)}  ${ratio}`);
console.log(
  `\nrefresh storm: 1,000 concurrent authorize() after expiry: median ${median.toFixed(2)} ms over 20 rounds, ` +
    `${refreshes} refresh requests in total (one per round)\n` +
    `baseline: one raw fetch round trip to the same server: ${oneRoundTrip.toFixed(2)} ms ` +
    `→ storm/round trip ${(median / oneRoundTrip).toFixed(2)}x`,
);
