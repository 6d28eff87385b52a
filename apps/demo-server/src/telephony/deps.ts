import type { Account } from '@callwire/types';
import type { Kysely } from 'kysely';
import type { OutboundHttp } from '../http/outbound.js';
import type { CallbackSender } from './callback-sender.js';
import type { TelephonyTables } from './db/tables.js';
import type { Scheduler } from './scheduler.js';

/** A handle on the database or on one transaction, seen through the telephony tables. */
export type TelephonyDb = Kysely<TelephonyTables>;

/** What `emit` takes (the events area assigns uuid, seq and created_on). */
export interface EmitInput {
  accountId: string;
  type: string;
  refId: string;
  message: string;
  payload: unknown;
}
export type Emit = (event: EmitInput) => Promise<unknown>;

/**
 * The events area's transaction: the callback's writes and the events it emits commit together,
 * each event with the account's next seq; subscribers see them after commit.
 */
export interface EventsPort {
  transaction<T>(fn: (trx: TelephonyDb, emit: Emit) => Promise<T>): Promise<T>;
}

/**
 * The account balance, which lives in the identity tables. `debit` is one conditional UPDATE
 * (`… SET balance = balance - x WHERE balance >= x`), so that concurrent debits can never take the
 * balance below zero, whichever database runs it.
 */
export interface Ledger {
  /** Debits when the balance covers `micros`; returns the account after, or undefined. */
  debit(trx: TelephonyDb, accountId: string, micros: number): Promise<Account | undefined>;
  balance(db: TelephonyDb, accountId: string): Promise<number>;
  timeZone(db: TelephonyDb, accountId: string): Promise<string>;
}

export interface TelephonyDeps {
  db: TelephonyDb;
  /** Where the SQL differs (the call-data report builds its JSON in the database). */
  dialect: 'sqlite' | 'postgres';
  events: EventsPort;
  scheduler: Scheduler;
  ledger: Ledger;
  /** Requests to call-flow URLs (the address policy, the User-Agent). */
  outbound: OutboundHttp;
  /** Signed SMS status callbacks. */
  callbacks: CallbackSender;
  logError: (error: unknown, message: string) => void;
}
