// Prints the resident set size (MB) of a server started with the demo data and left idle.
import './ts-hooks.ts';

const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const { startServer } = await import('../src/server.ts');
const dir = mkdtempSync(join(tmpdir(), 'callwire-rss-'));
const server = await startServer({ port: 0, dataDir: dir });
await fetch(`${server.url}/rest/account`, {
  headers: { authorization: `Basic ${Buffer.from('alice@example.com:alice-pass-1').toString('base64')}` },
});
await new Promise((r) => setTimeout(r, 2000));
const rss = process.memoryUsage().rss / (1024 * 1024);
await server.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${rss.toFixed(1)}\n`);
