import { describe, expect, it } from 'vitest';
import { AUTH, call, login } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

describe('logs', () => {
  it('never carry passwords, tokens or Authorization headers, even at debug level', async () => {
    const lines: string[] = [];
    const server = await startTestServer({
      fastArgon2: true,
      logLevel: 'debug',
      logStream: { write: (line: string) => lines.push(line) },
    });
    try {
      const session = await login(server, 'alice@example.com', 'alice-pass-1');
      await call(server, 'GET', `/rest/account?access_token=${session.token}`);
      await call(server, 'GET', '/rest/account', { auth: AUTH.bob });
      await call(server, 'GET', '/rest/account', { token: session.token });
      await call(server, 'POST', '/rest/auth/refresh', { body: { refresh_token: session.refresh_token } });
      await call(server, 'POST', '/rest/auth/login', {
        body: { username: 'bob@example.com', password: 'wrong-pass-9' },
      });
    } finally {
      await server.close();
    }
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    expect(log).toContain('/rest/account');
    for (const secret of ['alice-pass-1', 'wrong-pass-9', AUTH.bob.slice(6), AUTH.alice.slice(6)]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(/cws_[A-Za-z0-9_-]{20}/);
    expect(log).not.toMatch(/cwr_[A-Za-z0-9_-]{20}/);
  });
});
