import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, USAGE } from '../src/config.js';
import { BAYSIDE } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';
import { emitBatches } from './realtime-helpers.js';

describe('--event-retention', () => {
  it('is listed in --help with its environment variable', () => {
    expect(USAGE).toMatch(/--event-retention <dur>/);
    expect(USAGE).toMatch(/CALLWIRE_EVENT_RETENTION/);
  });

  it('reads a number and a unit from the flag or the environment, the flag winning', () => {
    expect(parseConfig(['--event-retention', '90m']).config.eventRetentionMs).toBe(90 * 60_000);
    expect(parseConfig(['--event-retention=7d']).config.eventRetentionMs).toBe(7 * 86_400_000);
    expect(parseConfig([], { CALLWIRE_EVENT_RETENTION: '36h' }).config.eventRetentionMs).toBe(36 * 3_600_000);
    expect(
      parseConfig(['--event-retention', '2h'], { CALLWIRE_EVENT_RETENTION: '36h' }).config.eventRetentionMs,
    ).toBe(2 * 3_600_000);
    expect(parseConfig([]).config.eventRetentionMs).toBe(24 * 3_600_000);
  });

  it('refuses a value without a unit, with an unknown unit or out of range, naming the flag', () => {
    const cases: Array<[string, RegExp]> = [
      ['24', /--event-retention must be a whole number and a unit s, m, h or d/],
      ['1.5h', /--event-retention must be a whole number and a unit/],
      ['3w', /--event-retention must be a whole number and a unit/],
      ['', /--event-retention must be a whole number and a unit/],
      ['30s', /--event-retention must be between 1m and 365d, got "30s"/],
      ['400d', /--event-retention must be between 1m and 365d/],
    ];
    for (const [value, message] of cases) {
      expect(() => parseConfig(['--event-retention', value])).toThrow(ConfigError);
      expect(() => parseConfig(['--event-retention', value])).toThrow(message);
    }
    expect(() => parseConfig([], { CALLWIRE_EVENT_RETENTION: 'forever' })).toThrow(/--event-retention/);
  });

  it('a server started with it purges events older than the retention, and keeps younger ones', async () => {
    let now = Date.now();
    const { config } = parseConfig([
      '--event-retention',
      '90m',
      '--memory',
      '--log-level',
      'silent',
      '--port',
      '0',
    ]);
    const server = await startTestServer({ fastArgon2: true, config, clock: { now: () => now } });
    try {
      const events = server.ctx.services.events!;
      const [first] = await emitBatches(server, BAYSIDE, 2);
      now += 89 * 60_000;
      expect(await events.purgeExpired()).toBe(0);
      expect(await events.oldestSeq(BAYSIDE)).toBe(first);
      now += 2 * 60_000;
      expect(await events.purgeExpired()).toBeGreaterThanOrEqual(2);
      expect(await events.oldestSeq(BAYSIDE)).toBeNull();
    } finally {
      await server.close();
    }
  });
});

describe('--block-private-network', () => {
  it('is off by default, on with the flag or CALLWIRE_BLOCK_PRIVATE_NETWORK=1', () => {
    expect(USAGE).toMatch(/--block-private-network/);
    expect(parseConfig([]).config.blockPrivateNetwork).toBe(false);
    expect(parseConfig(['--block-private-network']).config.blockPrivateNetwork).toBe(true);
    expect(parseConfig([], { CALLWIRE_BLOCK_PRIVATE_NETWORK: '1' }).config.blockPrivateNetwork).toBe(true);
    expect(() => parseConfig([], { CALLWIRE_BLOCK_PRIVATE_NETWORK: 'sometimes' })).toThrow(
      /CALLWIRE_BLOCK_PRIVATE_NETWORK/,
    );
  });
});
