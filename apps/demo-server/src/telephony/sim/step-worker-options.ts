import type { SimRuntime } from './runtime.js';
import type { SimTransactions } from './sim-transaction.js';
import type { HandleOptions } from './step-handler.js';
import type { StepStore } from './step-store.js';

/** What the step worker is given, and how it is tuned. */
export interface StepWorkerOptions {
  store: StepStore;
  transactions: SimTransactions;
  runtime: SimRuntime;
  /**
   * How long a claim lasts (server-clock ms). A step whose instance died is taken over when it
   * lapses; a live instance finishes a step in far less.
   * @default 2000
   */
  leaseMs?: number;
  /**
   * Steps claimed at once.
   * @default 32
   */
  batch?: number;
  /**
   * Steps of one claim run at once (different targets). On SQLite transactions run one at a time
   * anyway.
   * @default 4
   */
  concurrency?: number;
  /**
   * Steps of one claim run in one transaction (SQLite, where transactions run one at a time
   * anyway: one commit for many steps). With PostgreSQL only steps whose locks keep one order
   * share one (see {@link lockSafeGroups}), so that transactions never wait on each other's locks
   * in different orders.
   * @default 1
   */
  perTransaction?: number;
  /**
   * Where transactions run side by side (PostgreSQL), a transaction of several steps could lock
   * rows in an order no other transaction expects (the account's counter for one step, then the
   * account's balance for the next, while a send holds the balance and waits for the counter). With
   * this set, only {@link HandleOptions.groupable} steps of one account share a transaction: each
   * locks its own target's rows and the one counter, which is what concurrent sends lock last.
   * Other steps run one per transaction.
   * @default false
   */
  lockSafeGroups?: boolean;
  /**
   * With a real clock, the least time between two claims when nothing is overdue (ms): steps due
   * within this window run together, one claim and one commit for all of them, rather than one
   * each as they fall due.
   * @default 10
   */
  coalesceMs?: number;
  /**
   * Longest sleep with a real clock, in case a notification from another instance was missed.
   * @default 1000
   */
  pollMs?: number;
  /**
   * Outbound steps (see {@link HandleOptions.outbound}) running at once.
   * @default 8
   */
  outboundSlots?: number;
  /**
   * On shutdown, how long outbound steps under way may still finish (real ms) before they are
   * aborted and released for the next instance.
   * @default 1000
   */
  graceMs?: number;
  /**
   * Steps whose handler has no `prepare` and that are not outbound are taken in the transaction
   * that runs them, a batch at a time: picked, deleted and run in one transaction, with no claim
   * written first. If the transaction rolls back (a step failed, or the process died), the steps
   * are still there. Only for a single instance whose transactions run one at a time (SQLite):
   * with several instances a step must be claimed so that only one of them runs it. The other
   * steps are claimed as usual.
   * @default false
   */
  takeInTransaction?: boolean;
  logError: (error: unknown, message: string) => void;
  /** Called after each step ran, with how late it ran (server-clock ms after its due time). @default none */
  onRan?: (lateMs: number) => void;
}
