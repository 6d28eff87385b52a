import type { Call, CallSearchRequest } from '@callwire/types';
import { screenCaller } from '../call-outcome.js';
import {
  assertVoiceNumber,
  type CreateCallInput,
  type CreateCallOptions,
  insertCall,
} from '../call-records.js';
import { checkCallflow } from '../callflow-check.js';
import type { TelephonyDb, TelephonyDeps } from '../deps.js';
import { conflict, insufficientBalance, invalidField, notFound } from '../errors.js';
import { listOf, type Page } from '../list.js';
import { CALL_MINUTE_MICROS } from '../money.js';
import { Q850 } from '../q850.js';
import { callOut } from '../serialize.js';
import { bridgeIn, type CallMachine, hangupIn } from '../sim/call-transitions.js';
import { planCall } from '../sim/calls.js';
import { type CallRow, CallStore } from '../stores/call-store.js';
import { LeaseStore } from '../stores/lease-store.js';
import { TnProfileStore } from '../stores/tn-profile-store.js';
import { iso } from '../time.js';

/**
 * Calls through the API: placing, reading, hanging up, bridging, searching, and inbound calls
 * simulated by the platform. What happens to a call afterwards is the simulator's (`sim/calls.ts`):
 * its steps are planned in the transaction that creates the call.
 */
export class CallsService {
  readonly deps: TelephonyDeps;
  readonly #m: CallMachine;
  readonly #calls: CallStore;
  readonly #leases: LeaseStore;
  readonly #tnProfiles: TnProfileStore;

  constructor(deps: TelephonyDeps, machine: CallMachine) {
    this.deps = deps;
    this.#m = machine;
    this.#calls = new CallStore(deps.db);
    this.#leases = new LeaseStore(deps.db);
    this.#tnProfiles = new TnProfileStore(deps.db);
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  async create(accountId: string, input: CreateCallInput, options: CreateCallOptions = {}): Promise<Call> {
    if (input.call_flow_xml !== undefined) checkCallflow(input.call_flow_xml, 'body.call_flow_xml');
    const direction = options.direction ?? 'out';
    return this.deps.events.transaction(async (trx, emit, schedule) => {
      // A call's caller id is one of the account's voice numbers.
      if (direction === 'out' && !options.parent)
        await assertVoiceNumber(trx, accountId, input.from, 'body.from');
      // Outbound calls need at least one minute's worth of balance; the real cost is debited at
      // hangup (capped at the balance, so it never goes below zero).
      if (direction === 'out' && (await this.deps.ledger.balance(trx, accountId)) < CALL_MINUTE_MICROS) {
        throw insufficientBalance(CALL_MINUTE_MICROS);
      }
      const row = await insertCall(trx, emit, this.#now(), accountId, input, options);
      planCall(schedule, row, input, options);
      return callOut(row);
    });
  }

  // ---- API operations --------------------------------------------------------------------------

  async #row(db: TelephonyDb, accountId: string, uuid: string): Promise<CallRow> {
    const row = await new CallStore(db).get(accountId, uuid);
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
    const ended = await this.deps.events.transaction((trx, emit, schedule) =>
      hangupIn(this.#m, trx, emit, schedule, uuid, Q850.NORMAL_CLEARING),
    );
    return ended === undefined ? this.get(accountId, uuid) : callOut(ended);
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
      // Conditional on both legs still being live and unbridged: a racing bridge or hangup on
      // another connection makes this one a 409 (the transaction rolls back).
      const done = await bridgeIn(trx, emit, this.#now(), ra, rb);
      if (done === undefined) throw conflict('the calls are no longer live and unbridged');
      const callA = callOut(done.a);
      const callB = callOut(done.b);
      return { call_a: callA, call_b: callB };
    });
  }

  async search(accountId: string, body: CallSearchRequest & { from?: string; to?: string }, page: Page) {
    const { total, rows } = await this.#calls.search(
      accountId,
      {
        direction: body.direction,
        from: body.from,
        to: body.to,
        state: body.state,
        batch: body.batch,
        initFrom: body.created_on_from === undefined ? undefined : iso(Date.parse(body.created_on_from)),
        initTo: body.created_on_to === undefined ? undefined : iso(Date.parse(body.created_on_to)),
      },
      page,
    );
    return listOf(page, total, rows.map(callOut));
  }

  /** `POST /rest/simulate/call`: someone calls one of this account's numbers. */
  async simulateInbound(
    accountId: string,
    input: { from: string; to: string; talk_secs?: number | undefined },
  ) {
    const lease = await this.#leases.forInboundCall(accountId, input.to);
    if (lease === undefined) throw invalidField('body.to', 'is not a number of this account');
    let rejected = Number(lease.voice) !== 1;
    if (!rejected && lease.tn_profile !== null) {
      const profile = await this.#tnProfiles.screening(lease.tn_profile);
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
    return this.deps.events.transaction(async (trx, emit, schedule) => {
      const row = await insertCall(trx, emit, this.#now(), accountId, callInput, options);
      planCall(schedule, row, callInput, options);
      return callOut(row);
    });
  }
}
