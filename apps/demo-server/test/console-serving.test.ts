import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './helpers/test-server.js';

/** A console build as Vite lays it out: index.html naming hashed assets. */
const INDEX =
  '<!doctype html><html><head><script type="module" src="./assets/index-abc123.js"></script></head></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

let dir: string;
let built: RunningServer;
let missing: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'console-build-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(dir, 'secret.env'), 'NOT=SERVED');
  built = await startTestServer({ fastArgon2: true, consoleDir: dir });
  missing = await startTestServer({ fastArgon2: true, consoleDir: join(dir, 'nothing-here') });
});

afterAll(async () => {
  await built?.close();
  await missing?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console at /', () => {
  it('serves the built app with a policy that allows only this server and no inline code', async () => {
    const res = await built.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toBe(INDEX);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    // index.html names the current asset hashes, so browsers must revalidate it.
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets for a year, gzipped for browsers that accept it', async () => {
    const plain = await built.app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toBe(SCRIPT);
    const gzipped = await built.app.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(SCRIPT);
    expect(gzipped.rawPayload.length).toBeLessThan(SCRIPT.length / 10);
  });

  it('answers 404 in the error envelope for anything that is not a console asset', async () => {
    for (const url of [
      '/assets/nope.js',
      '/assets/../secret.env',
      '/assets/%2e%2e/secret.env',
      '/assets/..%2fsecret.env',
      '/secret.env',
    ]) {
      const res = await built.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ success: false, status: 404, code: 'not_found' });
      expect(res.body, url).not.toContain('NOT=SERVED');
    }
  });

  it('without a console build, says so and still lists the demo users', async () => {
    const res = await missing.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('The console app is not built');
    expect(res.body).toContain('alice@example.com');
    expect(res.body).toContain('/docs');
  });
});
