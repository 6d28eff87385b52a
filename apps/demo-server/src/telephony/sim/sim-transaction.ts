import type { OperationNodeSource } from 'kysely';
import type { Emit, TelephonyDb } from '../deps.js';
import type { SimRuntime } from './runtime.js';
import type { NewStep, StepStore } from './step-store.js';

/** Steps a transaction plans that may wait for the statement writing its events (see writeAtCommit). */
const MAX_DEFERRED_STEPS = 64;

/** A step to plan from inside a transaction: `inSimMs` simulated ms after `fromMs` (default now). */
export interface PlannedStep {
  kind: string;
  target: string;
  accountId: string;
  payload?: unknown;
  inSimMs: number;
  /** Server-clock epoch ms the delay counts from, when not now (a lifecycle planned at its start). */
  fromMs?: number;
}

/** Plans a step; it is written with the transaction's other writes and exists only if they commit. */
export type Schedule = (step: PlannedStep) => void;

/** The events area's transaction, as the telephony area needs it. */
export interface EventsTransactions {
  transaction<T>(fn: (trx: TelephonyDb, emit: Emit) => Promise<T>): Promise<T>;
  /** Queues a message to every instance on the transaction (delivered at commit; PostgreSQL only). */
  controlInTransaction(trx: TelephonyDb, body: unknown): Promise<void>;
  /** Queues an insert for the statement that writes the events, if there is one (see EventService). */
  writeAtCommit(trx: TelephonyDb, insert: () => OperationNodeSource): boolean;
}

/** The control message that tells every instance a step was planned (`due`: epoch ms). */
export interface StepsPlannedMessage {
  kind: 'sim_steps';
  due: number;
}

export function isStepsPlanned(body: unknown): body is StepsPlannedMessage {
  const b = body as Partial<StepsPlannedMessage> | null;
  return typeof b === 'object' && b !== null && b.kind === 'sim_steps' && typeof b.due === 'number';
}

/**
 * Telephony's transactions: the events area's (writes and events commit together) plus the steps
 * planned inside, written in the same transaction. After the commit this instance's worker is
 * told; on PostgreSQL a notification in the transaction tells every other instance too, so a step
 * planned anywhere is picked up at once by whichever instance is free.
 */
export class SimTransactions {
  readonly #events: EventsTransactions;
  readonly #store: StepStore;
  readonly #runtime: SimRuntime;
  #onPlanned: (dueMs: number) => void = () => undefined;

  constructor(events: EventsTransactions, store: StepStore, runtime: SimRuntime) {
    this.#events = events;
    this.#store = store;
    this.#runtime = runtime;
  }

  /** Who hears of steps planned by this instance (its worker), after commit. */
  onPlanned(listener: (dueMs: number) => void): void {
    this.#onPlanned = listener;
  }

  async transaction<T>(fn: (trx: TelephonyDb, emit: Emit, schedule: Schedule) => Promise<T>): Promise<T> {
    let planned: NewStep[] = [];
    const result = await this.#events.transaction(async (trx, emit) => {
      planned = [];
      const schedule: Schedule = (s) => {
        planned.push({
          kind: s.kind,
          target: s.target,
          accountId: s.accountId,
          payload: s.payload,
          dueMs: this.#runtime.dueAt(s.inSimMs, s.fromMs),
        });
      };
      const value = await fn(trx, emit, schedule);
      if (planned.length > 0) {
        const now = this.#runtime.now();
        // Many steps at once (a batch's calls) go in statements of their own, within the
        // parameter limit of one statement.
        const deferred =
          planned.length <= MAX_DEFERRED_STEPS &&
          this.#events.writeAtCommit(trx, () => this.#store.insertQuery(trx, planned, now));
        if (!deferred) await this.#store.insert(trx, planned, now);
        const message: StepsPlannedMessage = { kind: 'sim_steps', due: earliest(planned) };
        await this.#events.controlInTransaction(trx, message);
      }
      return value;
    });
    if (planned.length > 0) this.#onPlanned(earliest(planned));
    return result;
  }
}

function earliest(steps: readonly NewStep[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const s of steps) if (s.dueMs < min) min = s.dueMs;
  return min;
}
