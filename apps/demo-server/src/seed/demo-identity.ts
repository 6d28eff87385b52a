import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context.js';
import { isoTime } from '../db/time.js';
import { identityKey } from '../identity/auth/identity-key.js';
import { DemoIdentityStore } from './demo-identity-store.js';

/**
 * The demo data, identity part. Ids are fixed so that examples, docs and scripts
 * keep working across restarts and fresh databases. Seeding is idempotent: a database that already
 * has the demo accounts is left as it is (a restart keeps what people changed).
 */
export const DEMO_ACCOUNTS = {
  acme: {
    uuid: '0a11ce00-0000-4000-8000-00000000ac01',
    name: 'Acme Dental',
    email: 'office@acme-dental.example',
  },
  bayside: {
    uuid: '0a11ce00-0000-4000-8000-00000000ba01',
    name: 'Bayside Realty',
    email: 'hello@bayside-realty.example',
  },
} as const;

export const DEMO_USERS = {
  alice: {
    uuid: '0a11ce00-0000-4000-8000-0000000a1ce1',
    email: 'alice@example.com',
    password: 'alice-pass-1',
    first_name: 'Alice',
    last_name: 'Archer',
    phone_number: '+12015550101',
    api_access: true,
    default: 'acme',
    memberships: { acme: 'admin' },
  },
  bob: {
    uuid: '0a11ce00-0000-4000-8000-00000000b0b1',
    email: 'bob@example.com',
    password: 'bob-pass-1',
    first_name: 'Bob',
    last_name: 'Baker',
    phone_number: '+12015550102',
    api_access: true,
    default: 'bayside',
    memberships: { acme: 'manager', bayside: 'admin' },
  },
  carol: {
    uuid: '0a11ce00-0000-4000-8000-0000000ca201',
    email: 'carol@example.com',
    password: 'carol-pass-1',
    first_name: 'Carol',
    last_name: 'Chen',
    phone_number: '+12015550103',
    api_access: false,
    default: 'acme',
    memberships: { acme: 'manager' },
  },
  dave: {
    uuid: '0a11ce00-0000-4000-8000-0000000da4e1',
    email: 'dave@example.com',
    password: 'dave-pass-1',
    first_name: 'Dave',
    last_name: 'Dunn',
    phone_number: '+12015550104',
    api_access: true,
    default: 'bayside',
    memberships: { bayside: 'viewer' },
  },
} as const;

export const DEMO_INTEGRATOR = {
  appKey: 'demo-integrator',
  secret: 'demo-integrator-secret-1',
  name: 'Demo Integrator',
} as const;

export const DEMO_BALANCE_MICROS = 100_000_000;

/** What the identity seed hands to the other areas' seeds. */
export interface DemoIdentity {
  accounts: Array<{ uuid: string; name: string; key: keyof typeof DEMO_ACCOUNTS }>;
  users: Array<{ uuid: string; email: string; key: keyof typeof DEMO_USERS }>;
  integratorAppKey: string;
  /** True when this start created the demo data (false on a restart over existing data). */
  created: boolean;
}

export async function seedDemoIdentity(ctx: ServerContext): Promise<DemoIdentity> {
  const identity: DemoIdentity = {
    accounts: Object.entries(DEMO_ACCOUNTS).map(([key, a]) => ({
      uuid: a.uuid,
      name: a.name,
      key: key as keyof typeof DEMO_ACCOUNTS,
    })),
    users: Object.entries(DEMO_USERS).map(([key, u]) => ({
      uuid: u.uuid,
      email: u.email,
      key: key as keyof typeof DEMO_USERS,
    })),
    integratorAppKey: DEMO_INTEGRATOR.appKey,
    created: false,
  };
  if (await new DemoIdentityStore(ctx.db).accountExists(DEMO_ACCOUNTS.acme.uuid)) return identity;

  // Hash outside the transaction: argon2 runs on the thread pool, in parallel.
  const users = Object.values(DEMO_USERS);
  const hashes = await Promise.all(users.map((u) => ctx.auth.hasher.hash(u.password)));
  const secretHash = await ctx.auth.hasher.hash(DEMO_INTEGRATOR.secret);
  const now = isoTime(ctx.now());
  await ctx.db.transaction().execute(async (trx) => {
    const store = new DemoIdentityStore(trx);
    for (const a of Object.values(DEMO_ACCOUNTS)) {
      await store.addAccount({
        uuid: a.uuid,
        name: a.name,
        email: a.email,
        level: 'Level1',
        balance_micros: DEMO_BALANCE_MICROS,
        time_zone: 'America/New_York',
        created_on: now,
        modified_on: now,
        deleted_on: null,
      });
    }
    for (const [i, u] of users.entries()) {
      await store.addUser({
        uuid: u.uuid,
        email: u.email,
        email_key: identityKey(u.email),
        password_hash: hashes[i] as string,
        first_name: u.first_name,
        last_name: u.last_name,
        phone_number: u.phone_number,
        role: 'User',
        api_access: u.api_access ? 1 : 0,
        status: 'active',
        default_account_id: DEMO_ACCOUNTS[u.default].uuid,
        created_on: now,
        modified_on: now,
        deleted_on: null,
      });
      for (const [accountKey, access] of Object.entries(u.memberships)) {
        await store.addMembership({
          user_id: u.uuid,
          account_id: DEMO_ACCOUNTS[accountKey as keyof typeof DEMO_ACCOUNTS].uuid,
          access: access as 'admin' | 'manager' | 'viewer',
          created_on: now,
        });
      }
    }
    await store.addIntegratorApp({
      app_key: DEMO_INTEGRATOR.appKey,
      name: DEMO_INTEGRATOR.name,
      created_on: now,
    });
    await store.addIntegratorSecret({
      uuid: randomUUID(),
      app_key: DEMO_INTEGRATOR.appKey,
      secret_hash: secretHash,
      created_on: now,
      revoked_on: null,
    });
    for (const a of Object.values(DEMO_ACCOUNTS)) {
      await store.addIntegratorLink({ app_key: DEMO_INTEGRATOR.appKey, account_id: a.uuid, created_on: now });
    }
  });
  identity.created = true;
  return identity;
}
