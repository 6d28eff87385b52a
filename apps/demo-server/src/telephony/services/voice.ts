import { randomUUID } from 'node:crypto';
import type { Originate, RapidResponse } from '@callwire/types';
import { assertVoiceNumber, insertCall } from '../call-records.js';
import type { TelephonyDb, TelephonyDeps } from '../deps.js';
import { conflict, insufficientBalance, invalidField, notFound } from '../errors.js';
import { CALL_MINUTE_MICROS } from '../money.js';
import { planCall } from '../sim/calls.js';
import { compositeRef } from '../sim/composites.js';
import { LeaseStore } from '../stores/lease-store.js';
import { VoiceStore } from '../stores/voice-store.js';
import { iso } from '../time.js';

/** A rapid-response entry for the same callee within this window is a duplicate. */
export const RAPID_RESPONSE_WINDOW_MS = 60 * 60 * 1000;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Click-to-call (originate) and rapid response through the API, both built from two call legs
 * that the simulator connects (`sim/composites.ts`).
 */
export class VoiceService {
  readonly deps: TelephonyDeps;
  readonly #leases: LeaseStore;
  readonly #voice: VoiceStore;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.#leases = new LeaseStore(deps.db);
    this.#voice = new VoiceStore(deps.db);
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  async #defaultFrom(accountId: string): Promise<string> {
    const tn = await this.#leases.firstVoiceNumber(accountId);
    if (tn === undefined)
      throw invalidField('body.from', 'is required: this account has no voice number to call from');
    return tn;
  }

  /** 402 unless the balance covers the first minute of the first leg. */
  async #assertMinute(trx: TelephonyDb, accountId: string): Promise<void> {
    if ((await this.deps.ledger.balance(trx, accountId)) < CALL_MINUTE_MICROS) {
      throw insufficientBalance(CALL_MINUTE_MICROS);
    }
  }

  // ---- originate -------------------------------------------------------------------------------

  /**
   * Click-to-call: dials `caller`; once live, `callee` is dialled from the same caller id and the
   * two are bridged (`sim/composites.ts`). The request and its first leg are one transaction.
   */
  async originate(accountId: string, input: { caller: string; callee: string; from?: string | undefined }) {
    const from = input.from ?? (await this.#defaultFrom(accountId));
    await assertVoiceNumber(this.deps.db, accountId, from, 'body.from');
    const uuid = randomUUID();
    return this.deps.events.transaction(async (trx, emit, schedule) => {
      await this.#assertMinute(trx, accountId);
      const now = this.#now();
      const callInput = { from, to: input.caller };
      const options = { composite: compositeRef('originate', uuid) };
      const leg1 = await insertCall(trx, emit, now, accountId, callInput, options);
      planCall(schedule, leg1, callInput, options);
      const row = {
        uuid,
        account_id: accountId,
        caller: input.caller,
        callee: input.callee,
        from_tn: from,
        caller_call: leg1.uuid,
        callee_call: null as string | null,
        state: 'processing',
        created_on: now,
        modified_on: now,
      };
      await new VoiceStore(trx).insertOriginate(row);
      return originateOut(row);
    });
  }

  async getOriginate(accountId: string, uuid: string): Promise<Originate> {
    const row = await this.#voice.originate(accountId, uuid);
    if (row === undefined) throw notFound('originate request');
    return originateOut(row);
  }

  // ---- rapid response --------------------------------------------------------------------------

  /**
   * Rapid response: the agent is called and hears the whisper; once the agent is live the lead is
   * dialled and bridged in. One entry per callee per hour.
   */
  async rapidResponse(accountId: string, input: { callee: string; agent: string; whisper_text: string }) {
    const since = iso(this.deps.sim.now() - RAPID_RESPONSE_WINDOW_MS);
    const from = await this.#defaultFrom(accountId);
    const uuid = randomUUID();
    return this.deps.events.transaction(async (trx, emit, schedule) => {
      const voice = new VoiceStore(trx);
      // Check and insert holding the account's queue lock, so two racing requests for one callee
      // cannot both get in.
      await voice.lockRapidResponseQueue(accountId, this.deps.dialect);
      if (await voice.rapidResponseSince(accountId, input.callee, since)) {
        throw conflict('this callee is already in the queue (within the last hour)', 'duplicate_queue_entry');
      }
      await this.#assertMinute(trx, accountId);
      const now = this.#now();
      // The agent hears the whisper first, then the lead is dialled and bridged in.
      const whisper = `<Response><Say>${escapeXml(input.whisper_text)}</Say></Response>`;
      const callInput = { from, to: input.agent, call_flow_xml: whisper };
      const options = { composite: compositeRef('rapid_response', uuid) };
      const agentCall = await insertCall(trx, emit, now, accountId, callInput, options);
      planCall(schedule, agentCall, callInput, options);
      await voice.insertRapidResponse({
        uuid,
        account_id: accountId,
        callee: input.callee,
        agent: input.agent,
        whisper_text: input.whisper_text,
        queue_status: 'processing',
        agent_call: agentCall.uuid,
        created_on: now,
        modified_on: now,
      });
      const out: RapidResponse = {
        uuid,
        queue_status: 'processing',
        callee: input.callee,
        whisper_text: input.whisper_text,
        agent: input.agent,
      };
      return out;
    });
  }
}

function originateOut(r: {
  uuid: string;
  caller_call: string;
  callee_call: string | null;
  state: string;
}): Originate {
  return { uuid: r.uuid, caller_call: r.caller_call, callee_call: r.callee_call, state: r.state };
}
