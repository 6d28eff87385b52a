import { describe, expect, it } from 'vitest';
import type { ConfigFile } from './config-file.js';
import { parseConfig } from './config-file.js';
import { resolveConfigPaths } from './paths.js';
import { resolveSettings, validateBaseUrl } from './settings.js';

const config: ConfigFile = {
  current_profile: 'work',
  profiles: {
    work: { base_url: 'http://work.example:8787/', account_id: 'acc-work' },
    default: { base_url: 'http://default.example' },
  },
};

describe('resolveSettings precedence: flag > env > config > default', () => {
  it('uses the config file and its current profile', () => {
    const s = resolveSettings({}, {}, config);
    expect(s.profileName).toBe('work');
    expect(s.baseUrl).toBe('http://work.example:8787');
    expect(s.baseUrlSource).toBe('config');
    expect(s.account).toBe('acc-work');
    expect(s.accountSource).toBe('config');
  });

  it('lets CALLWIRE_* variables override the config', () => {
    const s = resolveSettings(
      {},
      {
        CALLWIRE_PROFILE: 'default',
        CALLWIRE_BASE_URL: 'http://env.example',
        CALLWIRE_ACCOUNT_ID: 'acc-env',
        CALLWIRE_TOKEN: 'tok',
      },
      config,
    );
    expect(s.profileName).toBe('default');
    expect(s.baseUrl).toBe('http://env.example');
    expect(s.baseUrlSource).toBe('env');
    expect(s.account).toBe('acc-env');
    expect(s.envToken).toBe('tok');
  });

  it('lets flags override the environment', () => {
    const s = resolveSettings(
      { profile: 'other', baseUrl: 'http://flag.example', account: 'acc-flag' },
      {
        CALLWIRE_PROFILE: 'default',
        CALLWIRE_BASE_URL: 'http://env.example',
        CALLWIRE_ACCOUNT_ID: 'acc-env',
      },
      config,
    );
    expect(s.profileName).toBe('other');
    expect(s.baseUrl).toBe('http://flag.example');
    expect(s.account).toBe('acc-flag');
    expect(s.accountSource).toBe('flag');
  });

  it('falls back to the default profile and the demo server', () => {
    const s = resolveSettings({}, {}, { profiles: {} });
    expect(s.profileName).toBe('default');
    expect(s.baseUrl).toBe('http://127.0.0.1:8787');
    expect(s.baseUrlSource).toBe('default');
    expect(s.account).toBeUndefined();
  });
});

describe('validateBaseUrl', () => {
  it('accepts http(s) and refuses the rest with a reason', () => {
    expect(validateBaseUrl('https://api.example.com')).toBeUndefined();
    expect(validateBaseUrl('nope')).toMatch(/not a URL/);
    expect(validateBaseUrl('ftp://x')).toMatch(/http or https/);
    expect(validateBaseUrl('http://u:p@x')).toMatch(/credentials/);
  });
});

describe('resolveConfigPaths', () => {
  it('honours CALLWIRE_CONFIG_DIR', () => {
    const p = resolveConfigPaths({ CALLWIRE_CONFIG_DIR: '/somewhere/cw' });
    expect(p.dir).toBe('/somewhere/cw');
    expect(p.credentials).toBe('/somewhere/cw/credentials.json');
  });

  it.runIf(process.platform === 'linux')('uses XDG_CONFIG_HOME/callwire without the -nodejs suffix', () => {
    expect(resolveConfigPaths({ XDG_CONFIG_HOME: '/xdg' }).dir).toBe('/xdg/callwire');
    expect(resolveConfigPaths({}).dir).toMatch(/callwire$/);
  });
});

describe('parseConfig', () => {
  it('drops junk instead of failing', () => {
    expect(
      parseConfig({ profiles: { a: { base_url: 3, account_id: 'x', accounts: [{ uuid: 'u' }, 5] } } }),
    ).toEqual({
      profiles: { a: { account_id: 'x', accounts: [] } },
    });
    expect(parseConfig('junk')).toEqual({ profiles: {} });
  });
});

describe('updateProfile', () => {
  it('makes the first logged-in profile the default and never switches it silently', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readConfig, updateProfile } = await import('./config-file.js');
    const root = await mkdtemp(join(tmpdir(), 'callwire-cli-'));
    const path = join(root, 'callwire', 'config.json');
    try {
      await updateProfile(path, 'work', (p) => ({ ...p, username: 'a@example.com' }), { claimDefault: true });
      await updateProfile(path, 'staging', (p) => ({ ...p, username: 'b@example.com' }), {
        claimDefault: true,
      });
      const config = await readConfig(path);
      expect(config.current_profile).toBe('work');
      expect(Object.keys(config.profiles).sort()).toEqual(['staging', 'work']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
