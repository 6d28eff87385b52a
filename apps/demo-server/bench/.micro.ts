import './ts-hooks.ts';
const { default: Fastify } = await import('fastify');
const { startServer } = await import('../src/server.ts');
const { DEMO_ACCOUNTS } = await import('../src/seed/demo-identity.ts');
const server = await startServer({ port: 0, memory: true, rateLimit: { perPrincipalPerMinute: 0 } });
const app = server.app;
const basic = `Basic ${Buffer.from('alice@example.com:alice-pass-1').toString('base64')}`;
const first = await app.inject({ url: '/rest/account', headers: { authorization: basic } });
const payload = JSON.parse(first.body);
const bare = Fastify();
bare.get('/rest/account', async () => payload);
await bare.ready();
const login = await app.inject({ method: 'POST', url: '/rest/auth/login', payload: { username: 'alice@example.com', password: 'alice-pass-1' } });
const session = JSON.parse(login.body).payload.token;
const created = await app.inject({ method: 'POST', url: '/rest/token', headers: { authorization: basic }, payload: { name: 'b', ttl: 3600 } });
const apiToken = JSON.parse(created.body).payload.token;
const integ = `Integrator ${Buffer.from('demo-integrator:demo-integrator-secret-1').toString('base64')}`;
const acme = DEMO_ACCOUNTS.acme.uuid;
const cases: Array<[string, any, string, Record<string, string>]> = [
  ['bare', bare, '/rest/account', {}],
  ['bare?q', bare, `/rest/account?account_id=${acme}`, {}],
  ['basic', app, '/rest/account', { authorization: basic }],
  ['session', app, '/rest/account', { authorization: `Bearer ${session}` }],
  ['token', app, '/rest/account', { authorization: `Bearer ${apiToken}` }],
  ['integrator', app, `/rest/account?account_id=${acme}`, { authorization: integ }],
];
const N = Number(process.env.N ?? 20000);
const results: Record<string, number[]> = {};
for (let round = 0; round < 5; round++) {
  for (const [name, target, url, headers] of cases) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const r = await target.inject({ url, headers });
      if (r.statusCode !== 200) throw new Error(`${name} ${r.statusCode} ${r.body}`);
    }
    const c = process.cpuUsage(c0);
    (results[name] ??= []).push((c.user + c.system) / N);
  }
}
for (const [name, xs] of Object.entries(results)) {
  const s = [...xs].sort((a, b) => a - b);
  console.log(name.padEnd(12), 'median', s[2].toFixed(2), 'µs  spread', s[0].toFixed(2), '-', s[4].toFixed(2));
}
await server.close();
await bare.close();
