import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasic } from '../src/basic.js';
import { errorFromResponse } from '../src/errors/index.js';
import type { AuthLogger } from '../src/index.js';
import { encodeIntegrator } from '../src/integrator.js';
import { createSessionAuth } from '../src/session/session-auth.js';
import { createBasicAuth } from '../src/strategies/basic-auth.js';
import { createIntegratorAuth } from '../src/strategies/integrator-auth.js';
import { createTokenAuth } from '../src/strategies/token-auth.js';
import { signWebhook, verifyWebhook } from '../src/webhook.js';
import { ALICE, type AuthServer, BOB, manualClock, startAuthServer } from './helpers/auth-server.js';

let server: AuthServer;
beforeEach(async () => {
  server = await startAuthServer();
});
afterEach(() => server.close());

/** Everything a user could see of an error: message, stack, toJSON, String(). */
function exposed(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const json = 'toJSON' in error ? JSON.stringify(error) : '';
  return [error.message, error.stack ?? '', json, String(error)].join('\n');
}

describe('no password, token or secret escapes', () => {
  it('in errors and log lines of a session that logs in, refreshes, fails and logs out', async () => {
    const lines: string[] = [];
    const logger: AuthLogger = {
      debug: (message, data) => lines.push(`${message} ${JSON.stringify(data)}`),
      warn: (message, data) => lines.push(`${message} ${JSON.stringify(data)}`),
    };
    const clock = manualClock();
    const secrets = new Set<string>([ALICE.password]);
    const errors: unknown[] = [];
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      logger,
    });
    auth.onChange((change) => {
      if (change.session) {
        secrets.add(change.session.token);
        secrets.add(change.session.refreshToken);
      }
    });
    await auth.token();
    clock.advance(3600_000 + 1);
    await auth.token();
    server.fail('refresh', 401, 'refresh_token_reused');
    server.fail('login', 401, 'invalid_credentials');
    clock.advance(3600_000 + 1);
    errors.push(await auth.token().catch((e: unknown) => e));
    server.fail('refresh', 503, 'unavailable');
    errors.push(await auth.refresh({ rejected: 'x' }).catch((e: unknown) => e));
    await auth.logout().catch((e: unknown) => errors.push(e));

    const wrong = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: 'Sup3r-secret!',
      logger,
    });
    secrets.add('Sup3r-secret!');
    errors.push(await wrong.token().catch((e: unknown) => e));

    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeGreaterThan(0);
    const everything = [...errors.map(exposed), ...lines].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('in errors of basic, token and integrator strategies', async () => {
    const errors: unknown[] = [];
    const basic = createBasicAuth({ username: BOB.email, password: BOB.password, baseUrl: server.url });
    errors.push(await basic.authorize({ headers: new Headers() }).catch((e: unknown) => e));
    const wrongBasic = createBasicAuth({
      username: BOB.email,
      password: 'n0t-bobs-pass',
      baseUrl: server.url,
    });
    errors.push(await wrongBasic.authorize({ headers: new Headers() }).catch((e: unknown) => e));
    const integrator = createIntegratorAuth({
      appKey: 'k',
      secret: 'integrator-s3cret',
      baseUrl: server.url,
    });
    errors.push(await integrator.authorize({ headers: new Headers() }).catch((e: unknown) => e));
    errors.push(await integrator.token().catch((e: unknown) => e));
    const token = createTokenAuth({ token: 'cw_live_tok3n' });
    errors.push(await (async () => token.forAccount('bad id'))().catch((e: unknown) => e));
    for (const make of [
      () => createBasicAuth({ username: 'a:b', password: 'pw-in-error?' }),
      () => createIntegratorAuth({ appKey: 'a', secret: 'bad\nsecret-x' }),
      () => createTokenAuth({ token: 'bad token-y' }),
    ]) {
      try {
        make();
      } catch (error) {
        errors.push(error);
      }
    }
    const everything = errors.map(exposed).join('\n');
    for (const secret of [
      BOB.password,
      'n0t-bobs-pass',
      'integrator-s3cret',
      'cw_live_tok3n',
      'pw-in-error?',
      'secret-x',
      'token-y',
      encodeBasic(BOB.email, BOB.password).slice(6),
      encodeIntegrator('k', 'integrator-s3cret').slice(11),
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('in errors built from a server that echoes credentials back', () => {
    const header = encodeBasic('alice@example.com', 'echoed-pass');
    const error = errorFromResponse(400, {
      success: false,
      status: 400,
      code: 'invalid_request',
      message: `bad header Authorization: ${header} and {"password":"echoed-pass"} ?token=abc123`,
      request_id: 'r',
    });
    const text = exposed(error);
    expect(text).not.toContain('echoed-pass');
    expect(text).not.toContain(header.slice(6));
    expect(text).not.toContain('abc123');
  });

  it('in webhook verification failures', async () => {
    const secret = 'whsec_never_print_me';
    const header = await signWebhook({ secret, payload: 'a', timestamp: 100 });
    const errors = await Promise.all([
      verifyWebhook({ secret, payload: 'b', header, now: 100 }).catch((e: unknown) => e),
      verifyWebhook({ secret, payload: 'a', header, now: 10_000 }).catch((e: unknown) => e),
    ]);
    expect(errors.map(exposed).join('\n')).not.toContain('never_print_me');
  });
});
