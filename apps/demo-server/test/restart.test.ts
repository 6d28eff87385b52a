import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StartServerOptions } from '../src/server.js';
import { AUTH, call, login } from './helpers/requests.js';
import { dropSchema, startTestServer, TEST_DATABASE_URL } from './helpers/test-server.js';

const dir = mkdtempSync(join(tmpdir(), 'callwire-restart-'));
const schema = `t_restart_${randomBytes(4).toString('hex')}`;
// The same data folder (SQLite) or the same schema (PostgreSQL) for both lives of the server.
const where: StartServerOptions =
  TEST_DATABASE_URL !== undefined ? { databaseSchema: schema } : { dataDir: dir };

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropSchema(schema);
});

describe('restart on the same data', () => {
  it('keeps users, sessions, API tokens and idempotency records', async () => {
    const first = await startTestServer({ fastArgon2: true, ...where });
    const session = await login(first, 'bob@example.com', 'bob-pass-1');
    const token = await call(first, 'POST', '/rest/token', {
      auth: AUTH.alice,
      body: { name: 'kept', ttl: 3600 },
      headers: { 'idempotency-key': 'restart-key' },
    });
    expect(token.status).toBe(201);
    const added = await call(first, 'POST', '/rest/account/user', {
      auth: AUTH.alice,
      body: { email: 'frank@example.com', access: 'viewer' },
    });
    expect(added.status).toBe(201);
    await first.close();

    const second = await startTestServer({ fastArgon2: true, ...where });
    try {
      expect((await call(second, 'GET', '/rest/account', { token: session.token })).status).toBe(200);
      const refreshed = await call(second, 'POST', '/rest/auth/refresh', {
        body: { refresh_token: session.refresh_token },
      });
      expect(refreshed.status).toBe(200);
      expect((await call(second, 'GET', '/rest/account', { token: token.body.payload.token })).status).toBe(
        200,
      );
      const replay = await call(second, 'POST', '/rest/token', {
        auth: AUTH.alice,
        body: { name: 'kept', ttl: 3600 },
        headers: { 'idempotency-key': 'restart-key' },
      });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(token.text);
      const users = await call(second, 'GET', '/rest/account/user', { auth: AUTH.alice });
      expect(users.body.payload.data.map((u: { email: string }) => u.email)).toContain('frank@example.com');
      expect((await call(second, 'GET', '/rest/account', { auth: AUTH.alice })).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
