// The processes under load for bench/auth.ts: a bare Fastify route and the demo server, in a child
// process of their own so that the benchmark can read the CPU time they spend (/proc) apart from
// the load generator's. Prints one JSON line with the URLs and credentials, then serves until killed.
import './ts-hooks.ts';

const { default: Fastify } = await import('fastify');
const { startServer } = await import('../src/server.ts');
const server = await startServer({ port: 0, memory: true, rateLimit: { perPrincipalPerMinute: 0 } });
const basic = `Basic ${Buffer.from('alice@example.com:alice-pass-1').toString('base64')}`;
const url = `${server.url}/rest/account`;
const body = await (await fetch(url, { headers: { authorization: basic } })).text();
const payload = JSON.parse(body) as unknown;
const bare = Fastify();
bare.get('/rest/account', async () => payload);
await bare.listen({ port: 0, host: '127.0.0.1' });
const login = await fetch(`${server.url}/rest/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
});
const session = ((await login.json()) as { payload: { token: string } }).payload.token;
const created = await fetch(`${server.url}/rest/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: basic },
  body: JSON.stringify({ name: 'bench', ttl: 3600 }),
});
const apiToken = ((await created.json()) as { payload: { token: string } }).payload.token;
process.stdout.write(
  `${JSON.stringify({
    bareUrl: `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/rest/account`,
    url,
    basic,
    session,
    apiToken,
    integrator: `Integrator ${Buffer.from('demo-integrator:demo-integrator-secret-1').toString('base64')}`,
  })}\n`,
);
process.on('SIGTERM', () => {
  Promise.all([bare.close(), server.close()]).finally(() => process.exit(0));
});
