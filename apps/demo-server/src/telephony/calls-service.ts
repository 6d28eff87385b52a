import { randomUUID } from 'node:crypto';
import type { Call, CallSearchRequest } from '@callwire/types';
import type { Selectable } from 'kysely';
import {
  type CallOutcome,
  canTransition,
  DESTROY_AFTER_MS,
  outcomeFor,
  screenCaller,
} from './call-outcome.js';
import { type CallflowVerb, parseCallflowXml, stepDurationMs } from './callflow-xml.js';
import type { TimerHandle } from './clock.js';
import type { CallTable } from './db/tables.js';
import type { Emit, TelephonyDb, TelephonyDeps } from './deps.js';
import { conflict, insufficientBalance, invalidField, notFound } from './errors.js';
import { count, listOf, type Page } from './list.js';
import { CALL_MINUTE_MICROS, callCostMicros } from './money.js';
import { checkCallflow, emitBalance } from './numbers-service.js';
import { Q850 } from './q850.js';
import { callOut } from './serialize.js';
import { iso } from './time.js';

export interface CreateCallInput {
  from: string;
  to: string;
  call_flow_xml?: string | undefined;
  call_flow_url?: string | undefined;
  timeout_secs?: number | undefined;
  talk_secs?: number | undefined;
}

export interface CreateCallOptions {
  parent?: string | null;
  batch?: string | null;
  direction?: 'in' | 'out';
  /** Inbound calls screened out by a TN profile are rejected (cause 21). */
  rejected?: boolean;
}

type CallEventType =
  | 'call.initiated'
  | 'call.ringing'
  | 'call.answered'
  | 'call.live'
  | 'call.bridged'
  | 'call.callflow'
  | 'call.hangup'
  | 'call.destroyed'
  | 'call.recording';

type CallHook = (call: Call) => Promise<void> | void;

/** How long a call-flow URL may take to answer. */
const FLOW_URL_TIMEOUT_MS = 5_000;

/**
 * Calls and the simulated network that drives them: `init → ringing → live → hangup → destroyed`,
 * each change one transaction with its event. Every step re-reads the call and checks the
 * transition, so a hangup through the API racing a timer can never move a call backwards.
 * Timers and the hooks other features use (bridging, bulk progress) live in memory: a restart
 * leaves unfinished simulated calls where they were.
 */
export class CallsService {
  readonly #timers = new Map<string, TimerHandle[]>();
  readonly #onLive = new Map<string, CallHook[]>();
  readonly #onEnded = new Map<string, CallHook[]>();
  /** Calls whose flow comes from a URL, fetched when they are answered (kept in memory like timers). */
  readonly #flowUrls = new Map<string, string>();

  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
  }

  #now(): string {
    return iso(this.deps.scheduler.now());
  }

  /** Runs `hook` once the call is live (answered). */
  whenLive(uuid: string, hook: CallHook): void {
    push(this.#onLive, uuid, hook);
  }

  /** Runs `hook` once the call is destroyed, whatever its outcome. */
  whenEnded(uuid: string, hook: CallHook): void {
    push(this.#onEnded, uuid, hook);
  }

  // ---- creating --------------------------------------------------------------------------------

  async create(accountId: string, input: CreateCallInput, options: CreateCallOptions = {}): Promise<Call> {
    if (input.call_flow_xml !== undefined) checkCallflow(input.call_flow_xml, 'body.call_flow_xml');
    const direction = options.direction ?? 'out';
    const call = await this.deps.events.transaction(async (trx, emit) => {
      // A call's caller id is one of the account's voice numbers (child legs of <Dial>, originate
      // and rapid response reuse their parent's, already checked).
      if (direction === 'out' && !options.parent)
        await assertVoiceNumber(trx, accountId, input.from, 'body.from');
      // Outbound calls need at least one minute's worth of balance; the real cost is debited at
      // hangup (capped at the balance, so it never goes below zero).
      if (direction === 'out' && (await this.deps.ledger.balance(trx, accountId)) < CALL_MINUTE_MICROS) {
        throw insufficientBalance(CALL_MINUTE_MICROS);
      }
      return this.insert(trx, emit, accountId, input, options);
    });
    this.start(accountId, call, input, options);
    return call;
  }

  /** Inserts a call in `init` with its `call.initiated` event, inside the caller's transaction. */
  async insert(
    trx: TelephonyDb,
    emit: Emit,
    accountId: string,
    input: CreateCallInput,
    options: CreateCallOptions = {},
  ): Promise<Call> {
    const now = this.#now();
    const row: Selectable<CallTable> = {
      uuid: randomUUID(),
      account_id: accountId,
      direction: options.direction ?? 'out',
      from_tn: input.from,
      to_tn: input.to,
      state: 'init',
      duration: 0,
      billable_seconds: 0,
      cost_micros: 0,
      init_on: now,
      ring_on: null,
      answer_on: null,
      hangup_on: null,
      destroy_on: null,
      q850_cause: null,
      parent: options.parent ?? null,
      batch: options.batch ?? null,
      bridged_with: null,
      call_flow_xml: input.call_flow_xml ?? null,
      talk_secs: input.talk_secs ?? null,
      timeout_secs: input.timeout_secs ?? null,
      modified_on: now,
    };
    await trx.insertInto('call').values(row).execute();
    const out = callOut(row);
    await emitCall(emit, accountId, 'call.initiated', out, 'initiated');
    return out;
  }

  /** Starts the simulation of an inserted call. */
  start(accountId: string, call: Call, input: CreateCallInput, options: CreateCallOptions = {}): void {
    const outcome: CallOutcome = options.rejected
      ? { kind: 'rejected', cause: Q850.CALL_REJECTED }
      : outcomeFor(call.to, { talkSecs: input.talk_secs, timeoutSecs: input.timeout_secs });
    const id = call.uuid;
    switch (outcome.kind) {
      case 'unallocated':
      case 'rejected':
        this.#after(id, 0, () => this.hangupNow(accountId, id, outcome.cause));
        return;
      case 'busy':
      case 'no_answer':
        this.#after(id, 0, () => this.#ring(accountId, id));
        this.#after(id, outcome.ringMs, () => this.hangupNow(accountId, id, outcome.cause));
        return;
      case 'answer':
        if (input.call_flow_xml === undefined && input.call_flow_url !== undefined) {
          this.#flowUrls.set(id, input.call_flow_url);
        }
        this.#after(id, 0, () => this.#ring(accountId, id));
        this.#after(id, outcome.ringMs, () => this.#answer(accountId, id, outcome.talkMs));
        return;
    }
  }

  #after(callId: string, simMs: number, task: () => Promise<unknown>): void {
    const handle = this.deps.scheduler.after(simMs, async () => {
      await task();
    });
    if (handle !== undefined) push(this.#timers, callId, handle);
  }

  #cancelTimers(callId: string): void {
    for (const t of this.#timers.get(callId) ?? []) this.deps.scheduler.cancel(t);
    this.#timers.delete(callId);
  }

  // ---- transitions -----------------------------------------------------------------------------

  /**
   * Moves a call to `state` if that is a legal step from where it is now, applying `patch` and
   * emitting `types` (in order) with the call as it is after the change.
   */
  async #transition(
    accountId: string,
    uuid: string,
    state: string,
    patch: (row: Selectable<CallTable>, now: string) => Partial<Selectable<CallTable>>,
    types: readonly [CallEventType, string][],
    after?: (trx: TelephonyDb, emit: Emit, call: Selectable<CallTable>) => Promise<void>,
  ): Promise<Call | undefined> {
    return this.deps.events.transaction(async (trx, emit) => {
      const row = await trx.selectFrom('call').selectAll().where('uuid', '=', uuid).executeTakeFirst();
      if (row === undefined || !canTransition(row.state, state)) return undefined;
      const now = this.#now();
      const set = { ...patch(row, now), state, modified_on: now };
      // Conditional on the state read: if a racing step (a timer and an API hangup, on another
      // PostgreSQL connection) moved the call first, this one does nothing.
      const moved = await trx
        .updateTable('call')
        .set(set)
        .where('uuid', '=', uuid)
        .where('state', '=', row.state)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return undefined;
      const next = { ...row, ...set };
      const out = callOut(next);
      for (const [type, what] of types) await emitCall(emit, accountId, type, out, what);
      if (after !== undefined) await after(trx, emit, next);
      return out;
    });
  }

  #ring(accountId: string, uuid: string) {
    return this.#transition(accountId, uuid, 'ringing', (_r, now) => ({ ring_on: now }), [
      ['call.ringing', 'ringing'],
    ]);
  }

  async #answer(accountId: string, uuid: string, talkMs: number): Promise<void> {
    const call = await this.#transition(accountId, uuid, 'live', (_r, now) => ({ answer_on: now }), [
      ['call.answered', 'answered'],
      ['call.live', 'live'],
    ]);
    if (call === undefined) return;
    this.#after(uuid, talkMs, () => this.hangupNow(accountId, uuid, Q850.NORMAL_CLEARING, talkMs / 1000));
    const row = await this.deps.db
      .selectFrom('call')
      .select('call_flow_xml')
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    const url = this.#flowUrls.get(uuid);
    this.#flowUrls.delete(uuid);
    if (row?.call_flow_xml) this.#runFlow(accountId, uuid, parseCallflowXml(row.call_flow_xml), 0, 0);
    else if (url !== undefined) {
      const steps = await this.#fetchFlow(url, call);
      if (steps !== undefined) this.#runFlow(accountId, uuid, steps, 0, 0);
    }
    for (const hook of take(this.#onLive, uuid)) await hook(call);
  }

  /**
   * Dynamic call flow (seed 003's "call control URL"): the answered call is POSTed as JSON to
   * `call_flow_url` and the response is the call-flow XML. A failing URL leaves the call without a
   * flow (it goes on until the callee hangs up), and the reason is logged.
   */
  async #fetchFlow(url: string, call: Call): Promise<CallflowVerb[] | undefined> {
    try {
      const res = await this.deps.outbound.post({
        url,
        headers: { accept: 'application/xml, text/xml' },
        body: JSON.stringify(call),
        timeoutMs: FLOW_URL_TIMEOUT_MS,
        maxResponseBytes: 65_536,
      });
      if (res.status < 200 || res.status > 299) throw new Error(`call_flow_url answered ${res.status}`);
      if (res.truncated) throw new Error('call_flow_url answered more than 64 KiB');
      return parseCallflowXml(res.body);
    } catch (error) {
      this.deps.logError(error, `the call flow of call ${call.uuid} could not be fetched`);
      return undefined;
    }
  }

  /** Executes the call flow one verb at a time, each a `call.callflow` event. */
  #runFlow(
    accountId: string,
    uuid: string,
    steps: readonly CallflowVerb[],
    index: number,
    elapsedMs: number,
  ): void {
    const step = steps[index];
    if (step === undefined) return;
    this.#after(uuid, 0, async () => {
      const digits =
        step.verb === 'Gather' ? '1'.repeat(Math.max(1, Number(step.attributes.numDigits ?? 1))) : undefined;
      const emitted = await this.deps.events.transaction(async (trx, emit) => {
        const row = await trx.selectFrom('call').selectAll().where('uuid', '=', uuid).executeTakeFirst();
        if (row === undefined || row.state !== 'live') return false;
        const call = callOut(row);
        await emit({
          accountId,
          type: 'call.callflow',
          refId: uuid,
          message: `${callLine(call)} - callflow ${step.verb}`,
          payload: {
            ...call,
            callflow: {
              index,
              verb: step.verb,
              attributes: step.attributes,
              text: step.text,
              ...(digits === undefined ? {} : { digits }),
            },
          },
        });
        return true;
      });
      if (!emitted) return;
      const duration = stepDurationMs(step);
      if (step.verb === 'Hangup') {
        await this.hangupNow(accountId, uuid, Q850.NORMAL_CLEARING, elapsedMs / 1000);
        return;
      }
      if (step.verb === 'Dial') await this.#dial(accountId, uuid, step.to);
      if (step.verb === 'Record')
        this.#after(uuid, duration, () => this.#recorded(accountId, uuid, duration));
      const rest = steps.slice(index + 1);
      if (rest.length > 0) {
        this.#after(uuid, duration, async () =>
          this.#runFlow(accountId, uuid, steps, index + 1, elapsedMs + duration),
        );
      }
    });
  }

  async #recorded(accountId: string, uuid: string, durationMs: number): Promise<void> {
    await this.deps.events.transaction(async (trx, emit) => {
      const row = await trx.selectFrom('call').selectAll().where('uuid', '=', uuid).executeTakeFirst();
      if (row === undefined) return;
      const call = callOut(row);
      await emit({
        accountId,
        type: 'call.recording',
        refId: uuid,
        message: `${callLine(call)} - recording`,
        payload: {
          ...call,
          recording: { uuid: randomUUID(), duration: Math.round(durationMs / 1000), url: null },
        },
      });
    });
  }

  /** `<Dial>`: calls each destination as a child leg and bridges the first that answers. */
  async #dial(accountId: string, parentId: string, destinations: readonly string[]): Promise<void> {
    const parent = await this.deps.db
      .selectFrom('call')
      .selectAll()
      .where('uuid', '=', parentId)
      .executeTakeFirst();
    if (parent === undefined) return;
    let bridged = false;
    for (const raw of destinations) {
      const to = raw.startsWith('+') ? raw : `+${raw.replace(/\D/g, '')}`;
      try {
        const child = await this.create(accountId, { from: parent.to_tn, to }, { parent: parentId });
        this.whenLive(child.uuid, async (c) => {
          if (bridged) {
            await this.hangupNow(accountId, c.uuid, Q850.NORMAL_CLEARING);
            return;
          }
          bridged = true;
          await this.bridge(accountId, parentId, c.uuid).catch(() => undefined);
        });
      } catch (error) {
        this.deps.logError(error, 'a <Dial> leg could not be created');
      }
    }
  }

  /**
   * Hangs up a call now with `cause`, debits what it cost, and destroys it shortly after. A bridged
   * partner is hung up too. Returns undefined when the call had already ended.
   */
  async hangupNow(
    accountId: string,
    uuid: string,
    cause: number,
    /** The simulated talk time when the simulator knows it exactly (timers fire late at high speeds). */
    plannedSecs?: number,
  ): Promise<Call | undefined> {
    const speed = this.deps.scheduler.speed;
    let partner: string | null = null;
    const call = await this.#transition(
      accountId,
      uuid,
      'hangup',
      (row, now) => {
        const measured = () =>
          Math.max(0, Math.round(((Date.parse(now) - Date.parse(row.answer_on ?? now)) * speed) / 1000));
        const duration =
          row.answer_on === null ? 0 : plannedSecs !== undefined ? Math.round(plannedSecs) : measured();
        return { hangup_on: now, q850_cause: cause, duration, billable_seconds: duration };
      },
      [['call.hangup', 'hangup']],
      async (trx, emit, row) => {
        partner = row.bridged_with;
        if (row.direction !== 'out') return;
        const cost = callCostMicros(Number(row.billable_seconds));
        if (cost === 0) return;
        // Never below zero: charge what the balance covers when the call outran it.
        let charged = cost;
        let account = await this.deps.ledger.debit(trx, accountId, cost);
        if (account === undefined) {
          charged = await this.deps.ledger.balance(trx, accountId);
          account = charged > 0 ? await this.deps.ledger.debit(trx, accountId, charged) : undefined;
          if (account === undefined) charged = 0;
        }
        await trx.updateTable('call').set({ cost_micros: charged }).where('uuid', '=', uuid).execute();
        if (account !== undefined) await emitBalance(emit, account);
      },
    );
    if (call === undefined) return undefined;
    this.#cancelTimers(uuid);
    this.#onLive.delete(uuid);
    this.#flowUrls.delete(uuid);
    this.#after(uuid, DESTROY_AFTER_MS, () => this.#destroy(accountId, uuid));
    if (partner !== null) await this.hangupNow(accountId, partner, Q850.NORMAL_CLEARING);
    return call;
  }

  async #destroy(accountId: string, uuid: string): Promise<void> {
    const call = await this.#transition(accountId, uuid, 'destroyed', (_r, now) => ({ destroy_on: now }), [
      ['call.destroyed', 'destroyed'],
    ]);
    this.#timers.delete(uuid);
    if (call === undefined) return;
    for (const hook of take(this.#onEnded, uuid)) await hook(call);
  }

  // ---- API operations --------------------------------------------------------------------------

  async #row(db: TelephonyDb, accountId: string, uuid: string): Promise<Selectable<CallTable>> {
    const row = await db
      .selectFrom('call')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (row === undefined) throw notFound('call');
    return row;
  }

  async get(accountId: string, uuid: string): Promise<Call> {
    return callOut(await this.#row(this.deps.db, accountId, uuid));
  }

  /**
   * Hangs up a call. Hanging up a call that has already ended (by the far end, by its bridged
   * partner, or by an earlier request whose answer was lost) answers with the call as it is and
   * records nothing: a retried hangup is safe.
   */
  async hangup(accountId: string, uuid: string): Promise<Call> {
    const row = await this.#row(this.deps.db, accountId, uuid);
    if (row.state === 'hangup' || row.state === 'destroyed') return callOut(row);
    const call = await this.hangupNow(accountId, uuid, Q850.NORMAL_CLEARING);
    return call ?? this.get(accountId, uuid);
  }

  /** Bridges two live calls of the account: `call.bridged` on both. */
  async bridge(accountId: string, a: string, b: string): Promise<{ call_a: Call; call_b: Call }> {
    if (a === b) throw invalidField('body.call_b', 'must be a different call than call_a');
    return this.deps.events.transaction(async (trx, emit) => {
      const ra = await this.#row(trx, accountId, a);
      const rb = await this.#row(trx, accountId, b);
      for (const r of [ra, rb]) {
        if (r.state !== 'live') throw conflict(`call ${r.uuid} is ${r.state}, not live`);
        if (r.bridged_with !== null) throw conflict(`call ${r.uuid} is already bridged`);
      }
      const now = this.#now();
      // Conditional on both legs still being live and unbridged: a racing bridge or hangup on
      // another connection makes this one a 409 (the transaction rolls back).
      for (const [leg, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const done = await trx
          .updateTable('call')
          .set({ bridged_with: other, modified_on: now })
          .where('uuid', '=', leg)
          .where('state', '=', 'live')
          .where('bridged_with', 'is', null)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) throw conflict(`call ${leg} is no longer live and unbridged`);
      }
      const callA = callOut({ ...ra, bridged_with: b, modified_on: now });
      const callB = callOut({ ...rb, bridged_with: a, modified_on: now });
      await emitCall(emit, accountId, 'call.bridged', callA, `bridged with ${callB.uuid}`);
      await emitCall(emit, accountId, 'call.bridged', callB, `bridged with ${callA.uuid}`);
      return { call_a: callA, call_b: callB };
    });
  }

  async search(accountId: string, body: CallSearchRequest & { from?: string; to?: string }, page: Page) {
    let q = this.deps.db.selectFrom('call').where('account_id', '=', accountId);
    if (body.direction !== undefined) q = q.where('direction', '=', body.direction);
    if (body.from !== undefined) q = q.where('from_tn', '=', body.from);
    if (body.to !== undefined) q = q.where('to_tn', '=', body.to);
    if (body.state !== undefined) q = q.where('state', '=', body.state);
    if (body.batch !== undefined) q = q.where('batch', '=', body.batch);
    if (body.created_on_from !== undefined)
      q = q.where('init_on', '>=', iso(Date.parse(body.created_on_from)));
    if (body.created_on_to !== undefined) q = q.where('init_on', '<=', iso(Date.parse(body.created_on_to)));
    const total = count(await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst());
    const rows = await q
      .selectAll()
      .orderBy('init_on', 'desc')
      .orderBy('uuid')
      .limit(page.take)
      .offset(page.skip)
      .execute();
    return listOf(page, total, rows.map(callOut));
  }

  /** `POST /rest/simulate/call`: someone calls one of this account's numbers. */
  async simulateInbound(
    accountId: string,
    input: { from: string; to: string; talk_secs?: number | undefined },
  ) {
    const lease = await this.deps.db
      .selectFrom('tn_lease')
      .select(['voice', 'tn_profile', 'call_flow_xml', 'call_flow_url'])
      .where('account_id', '=', accountId)
      .where('tn', '=', input.to)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    if (lease === undefined) throw invalidField('body.to', 'is not a number of this account');
    let rejected = Number(lease.voice) !== 1;
    if (!rejected && lease.tn_profile !== null) {
      const profile = await this.deps.db
        .selectFrom('tn_profile')
        .select(['blacklist', 'whitelist'])
        .where('uuid', '=', lease.tn_profile)
        .where('deleted_on', 'is', null)
        .executeTakeFirst();
      if (profile !== undefined) {
        rejected = !screenCaller(input.from, {
          blacklist: JSON.parse(profile.blacklist) as string[],
          whitelist: JSON.parse(profile.whitelist) as string[],
        });
      }
    }
    const callInput: CreateCallInput = {
      from: input.from,
      to: input.to,
      talk_secs: input.talk_secs,
      ...(lease.call_flow_xml === null ? {} : { call_flow_xml: lease.call_flow_xml }),
      ...(lease.call_flow_url === null ? {} : { call_flow_url: lease.call_flow_url }),
    };
    const options: CreateCallOptions = { direction: 'in', rejected };
    const call = await this.deps.events.transaction((trx, emit) =>
      this.insert(trx, emit, accountId, callInput, options),
    );
    // An inbound call rings whatever its number's last digits: they describe the caller's side.
    this.start(accountId, call, { ...callInput, to: '+10000000000' }, options);
    return call;
  }

  /** A call left up by a restart: hung up (cause 31) and destroyed. */
  async recover(accountId: string, uuid: string): Promise<void> {
    const ended = await this.hangupNow(accountId, uuid, Q850.NORMAL_UNSPECIFIED);
    if (ended === undefined) this.#after(uuid, 0, () => this.#destroy(accountId, uuid));
  }

  /** Stops every timer (server shutdown). */
  close(): void {
    for (const id of [...this.#timers.keys()]) this.#cancelTimers(id);
    this.#onLive.clear();
    this.#onEnded.clear();
    this.#flowUrls.clear();
  }
}

/** 400 unless `tn` is a live number of the account with voice on. */
export async function assertVoiceNumber(
  db: TelephonyDb,
  accountId: string,
  tn: string,
  field: string,
): Promise<void> {
  const lease = await db
    .selectFrom('tn_lease')
    .select('voice')
    .where('account_id', '=', accountId)
    .where('tn', '=', tn)
    .where('deleted_on', 'is', null)
    .executeTakeFirst();
  if (lease === undefined) throw invalidField(field, 'is not a number of this account');
  if (Number(lease.voice) !== 1) throw invalidField(field, 'does not have voice enabled');
}

function callLine(call: Call): string {
  return `Call ${call.direction} ${call.from} > ${call.to}`;
}

async function emitCall(
  emit: Emit,
  accountId: string,
  type: CallEventType,
  call: Call,
  what: string,
): Promise<void> {
  await emit({ accountId, type, refId: call.uuid, message: `${callLine(call)} - ${what}`, payload: call });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function take<K, V>(map: Map<K, V[]>, key: K): V[] {
  const list = map.get(key) ?? [];
  map.delete(key);
  return list;
}
