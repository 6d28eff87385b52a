import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_ARGON2, parseConfig } from '../src/config.js';
import { resolveOptions } from '../src/server.js';

describe('configuration', () => {
  it('has the contract defaults', () => {
    const { config } = parseConfig([], {});
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      accountScope: 'strict',
      tokenLifetime: 3600,
      simSpeed: 1,
      seed: true,
      memory: false,
    });
    expect(config.rateLimit).toMatchObject({
      perPrincipalPerMinute: 1000,
      bruteForcePerEmailIp: 5,
      bruteForcePerIp: 100,
    });
    expect(config.argon2).toEqual(DEFAULT_ARGON2);
  });

  it('reads flags, and the environment where no flag is given', () => {
    const { config } = parseConfig(
      [
        '--port',
        '0',
        '--memory',
        '--account-scope=lenient',
        '--no-seed',
        '--sim-speed',
        '10',
        '--token-lifetime',
        '600',
      ],
      { DATABASE_URL: 'postgres://u@h/db', LOG_LEVEL: 'warn', PORT: '9999' },
    );
    expect(config).toMatchObject({
      port: 0,
      memory: true,
      accountScope: 'lenient',
      seed: false,
      simSpeed: 10,
      tokenLifetime: 600,
      databaseUrl: 'postgres://u@h/db',
      logLevel: 'warn',
    });
  });

  it('refuses bad values with a sentence naming the option', () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--port', 'abc'], {}, /--port must be a whole number/],
      [['--port', '70000'], {}, /--port must be between 0 and 65535/],
      [['--account-scope', 'loose'], {}, /--account-scope must be "strict" or "lenient"/],
      [['--sim-speed', '0'], {}, /--sim-speed must be a number greater than 0/],
      [['--log-level', 'loud'], {}, /--log-level must be one of/],
      [['--seed', '--no-seed'], {}, /contradict/],
      [['--bogus'], {}, /bogus/],
      [[], { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
      [[], { CALLWIRE_SEED: 'maybe' }, /CALLWIRE_SEED/],
    ];
    for (const [argv, env, message] of cases) {
      expect(() => parseConfig(argv, env)).toThrow(ConfigError);
      expect(() => parseConfig(argv, env)).toThrow(message);
    }
  });

  it('gives in-process servers port 0, memory and silence by default, and OWASP argon2 unless a test asks', () => {
    const config = resolveOptions({});
    expect(config).toMatchObject({ port: 0, memory: true, logLevel: 'silent' });
    expect(config.argon2).toEqual(DEFAULT_ARGON2);
    expect(resolveOptions({ dataDir: '/x' }).memory).toBe(false);
  });
});
