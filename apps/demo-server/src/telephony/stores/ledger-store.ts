import type { Account } from '@callwire/types';
import { sql } from 'kysely';
import { areaDb } from '../../db/area-db.js';
import { preparedStatement } from '../../db/prepared.js';
import type { AccountTable } from '../../identity/tables.js';
import type { Ledger, TelephonyDb } from '../deps.js';
import { toDollars } from '../money.js';
import { iso } from '../time.js';

/** The identity area's table the ledger reads and debits. */
interface AccountTables {
  account: AccountTable;
}

function accountOut(r: AccountTable): Account {
  return {
    uuid: r.uuid,
    name: r.name,
    email: r.email,
    level: r.level,
    balance: toDollars(Number(r.balance_micros)),
    time_zone: r.time_zone,
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}

/** Compiled once: every send and every call leg runs it. */
const debitStatement = preparedStatement<
  { account: AccountTable },
  AccountTable,
  [number, string, string, number]
>((db) =>
  db
    .updateTable('account')
    .set({ balance_micros: sql<number>`balance_micros - ${0}`, modified_on: '' })
    .where('uuid', '=', '')
    .where('balance_micros', '>=', 0)
    .returningAll(),
);

/**
 * The balance in the identity area's `account` table. A debit is a single conditional UPDATE: the
 * database checks and subtracts in one statement, so no interleaving of concurrent requests (on
 * PostgreSQL's READ COMMITTED or SQLite) can take the balance below zero or lose a debit.
 */
export function createLedger(now: () => number): Ledger {
  return {
    async debit(trx: TelephonyDb, accountId: string, micros: number) {
      const [row] = await debitStatement(areaDb<AccountTables>(trx), micros, iso(now()), accountId, micros);
      return row === undefined ? undefined : accountOut(row);
    },
    async balance(db: TelephonyDb, accountId: string) {
      const row = await areaDb<AccountTables>(db)
        .selectFrom('account')
        .select('balance_micros')
        .where('uuid', '=', accountId)
        .executeTakeFirst();
      return row === undefined ? 0 : Number(row.balance_micros);
    },
    async timeZone(db: TelephonyDb, accountId: string) {
      const row = await areaDb<AccountTables>(db)
        .selectFrom('account')
        .select('time_zone')
        .where('uuid', '=', accountId)
        .executeTakeFirst();
      return row?.time_zone ?? 'UTC';
    },
  };
}
