import {
  AccountRequiredError,
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionError,
  ValidationError,
} from '@callwire/rest-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME,
  ALICE,
  BAYSIDE,
  BOB,
  basicClient,
  type RestServer,
  startRestServer,
} from './helpers/rest-server.js';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('account safety (the seed’s multi-account caveat)', () => {
  it('Basic as bob without an account: AccountRequiredError naming both, nothing scoped sent', async () => {
    const bob = basicClient(server, BOB);
    const before = server.seen.length;
    const error = await bob.accounts.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountRequiredError);
    const accounts = (error as AccountRequiredError).accounts;
    expect(accounts.map((a) => a.uuid).sort()).toEqual([ACME, BAYSIDE].sort());
    expect(accounts.map((a) => a.name).sort()).toEqual(['Acme Dental', 'Bayside Realty']);
    expect((error as Error).message).toContain('Acme Dental');
    // The only request that reached the server is the account listing that let the client refuse.
    expect(server.seen.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rest/accounts']);
    // And the list is cached: a second attempt sends nothing at all.
    await expect(bob.numbers.list().toArray()).rejects.toBeInstanceOf(AccountRequiredError);
    expect(server.seen.length).toBe(before + 1);
  });

  it('forAccount binds the right account, confirmed by X-Account-Id', async () => {
    const bob = basicClient(server, BOB);
    const acme = await bob.forAccount(ACME).accounts.current().withResponse();
    expect(acme.accountId).toBe(ACME);
    expect(acme.data.uuid).toBe(ACME);
    expect(acme.data.name).toBe('Acme Dental');
    const bayside = await bob.forAccount(BAYSIDE).accounts.current().withResponse();
    expect(bayside.accountId).toBe(BAYSIDE);
    expect(bayside.data.name).toBe('Bayside Realty');
    expect(bob.forAccount(ACME)).toBe(bob.forAccount(ACME));
  });

  it('the accountId option does the same; unscoped endpoints need none', async () => {
    const bob = basicClient(server, BOB, { accountId: ACME });
    expect((await bob.accounts.current()).uuid).toBe(ACME);
    const listed = await basicClient(server, BOB).accounts.list().toArray();
    expect(listed.map((a) => a.uuid).sort()).toEqual([ACME, BAYSIDE].sort());
    expect(listed.find((a) => a.uuid === BAYSIDE)?.default).toBe(true);
  });

  it('an account bob does not belong to is refused by the server, typed', async () => {
    const alice = basicClient(server, ALICE);
    await expect(alice.forAccount(BAYSIDE).accounts.current()).rejects.toMatchObject({
      name: 'PermissionError',
      code: 'account_forbidden',
    });
  });
});

describe('identity and errors', () => {
  it('single-account alice needs no account; profile is unscoped', async () => {
    const alice = basicClient(server, ALICE);
    const { data, accountId, requestId } = await alice.accounts.current().withResponse();
    expect(data.uuid).toBe(ACME);
    expect(accountId).toBe(ACME);
    expect(requestId).toEqual(expect.any(String));
    const profile = await alice.auth.profile();
    expect(profile.email).toBe('alice@example.com');
    expect(profile.account.uuid).toBe(ACME);
  });

  it('wrong password → AuthenticationError; no API access → PermissionError', async () => {
    const wrong = basicClient(
      server,
      { username: 'alice@example.com', password: 'nope-nope-1' },
      { accountId: ACME },
    );
    const error = await wrong.accounts.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).requestId).toEqual(expect.any(String));
    const carol = basicClient(
      server,
      { username: 'carol@example.com', password: 'carol-pass-1' },
      { accountId: ACME },
    );
    await expect(carol.accounts.current()).rejects.toMatchObject({
      name: 'PermissionError',
      code: 'api_access_disabled',
    });
    expect(error).not.toBeInstanceOf(PermissionError);
  });

  it('API tokens: create (shown once), list, revoke', async () => {
    const alice = basicClient(server, ALICE);
    const created = await alice.auth.tokens.create({ name: 'ci', ttl: 3600 });
    expect(created.token).toEqual(expect.any(String));
    const listed = await alice.auth.tokens.list().toArray();
    const mine = listed.find((t) => t.uuid === created.uuid);
    expect(mine?.name).toBe('ci');
    expect(mine?.token).toBeUndefined();
    await alice.auth.tokens.revoke(created.uuid);
    expect((await alice.auth.tokens.list().toArray()).some((t) => t.uuid === created.uuid)).toBe(false);
    await expect(alice.auth.tokens.create({ name: 'short', ttl: 5 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('users: list, add, update, remove (admin); validation errors carry fields', async () => {
    const alice = basicClient(server, ALICE);
    const users = await alice.users.list().toArray();
    expect(users.map((u) => u.email)).toContain('alice@example.com');
    const added = await alice.users.add({ email: 'erin@example.com', access: 'viewer' });
    expect(added.access).toBe('viewer');
    const changed = await alice.users.update(added.uuid, { access: 'manager' });
    expect(changed.access).toBe('manager');
    await alice.users.remove(added.uuid);
    await expect(alice.users.update(added.uuid, { access: 'viewer' })).rejects.toBeInstanceOf(NotFoundError);
    const invalid = await alice.users
      .add({ email: 'not-an-email', access: 'viewer' })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(Object.keys((invalid as ValidationError).fields ?? {})).toContain('body.email');
    await alice.users.add({ email: 'frank@example.com', access: 'viewer' });
    await expect(alice.users.add({ email: 'frank@example.com', access: 'viewer' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});
