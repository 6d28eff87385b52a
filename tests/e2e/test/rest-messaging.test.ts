import { NotFoundError, ValidationError } from '@callwire/rest-client';
import type { Sms } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME,
  ALICE,
  basicClient,
  type RestServer,
  startDroppingProxy,
  startRestServer,
} from './helpers/rest-server.js';

let server: RestServer;
let from: string;
beforeAll(async () => {
  server = await startRestServer({ simSpeed: 100 });
  const [lease] = await basicClient(server, ALICE).numbers.list({ sms: true }).toArray({ limit: 1 });
  from = lease!.tn;
});
afterAll(async () => {
  await server?.close();
});

async function until(get: () => Promise<Sms>, done: (sms: Sms) => boolean): Promise<Sms> {
  for (let i = 0; i < 200; i++) {
    const sms = await get();
    if (done(sms)) return sms;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('SMS did not get there');
}

describe('sms', () => {
  it('send, follow to delivered, find it in the log', async () => {
    const alice = basicClient(server, ALICE);
    const sent = await alice.sms.send({ from, to: '2015550123', message: 'Your table is ready' });
    expect(sent).toMatchObject({
      type: 'smso',
      state: 'created',
      from,
      to: '+12015550123',
      delivered: false,
    });
    const delivered = await until(
      () => alice.sms.get(sent.uuid),
      (s) => s.delivered,
    );
    expect(delivered.state).toBe('delivered');
    const log = await alice.sms.search({ direction: 'out', to: '+12015550123' }).toArray();
    expect(log.map((s) => s.uuid)).toContain(sent.uuid);
  });

  it('from a messaging profile’s pool', async () => {
    const alice = basicClient(server, ALICE);
    const [profile] = await alice.messagingProfiles.list().toArray({ limit: 1 });
    const sent = await alice.sms.send({ from_pool: profile!.uuid, to: '+12015550124', message: 'pool' });
    expect(sent.from).toMatch(/^\+1\d{10}$/);
  });

  it('inbound (simulated) shows in the log as smsi', async () => {
    const alice = basicClient(server, ALICE);
    const inbound = await alice.simulate.sms({ from: '+13105550111', to: from, message: 'hello' });
    expect(inbound.type).toBe('smsi');
    const log = await alice.sms.search({ direction: 'in', from: '+13105550111' }).toArray();
    expect(log.map((s) => s.uuid)).toEqual([inbound.uuid]);
  });

  it('errors: a too-long message has fields, an unknown uuid is NotFoundError', async () => {
    const alice = basicClient(server, ALICE);
    const error = await alice.sms
      .send({ from, to: '+12015550123', message: 'x'.repeat(919) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields ?? {})).toContain('body.message');
    await expect(alice.sms.get('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('a POST retried after the server dropped the connection', () => {
  it('reuses its idempotency key: exactly one SMS exists', async () => {
    const proxy = await startDroppingProxy(server);
    try {
      const alice = basicClient({ url: proxy.url }, ALICE, {
        accountId: ACME,
        retry: { limit: 2, baseDelay: 1 },
      });
      const to = '+12015550177';
      proxy.dropAfterAnswer('POST /rest/sms ');
      const before = server.seen.length;
      const { data, response } = await alice.sms.send({ from, to, message: 'only once' }).withResponse();
      expect(proxy.state.dropped).toBe(1);
      const posts = server.seen.slice(before).filter((r) => r.method === 'POST' && r.path === '/rest/sms');
      expect(posts).toHaveLength(2);
      expect(posts[0]!.headers['idempotency-key']).toEqual(expect.any(String));
      expect(posts[1]!.headers['idempotency-key']).toBe(posts[0]!.headers['idempotency-key']);
      expect(response.headers.get('idempotent-replayed')).toBe('true');
      const log = await alice.sms.search({ direction: 'out', to }).toArray();
      expect(log.map((s) => s.uuid)).toEqual([data.uuid]);
    } finally {
      await proxy.close();
    }
  });
});
