import { randomUUID } from 'node:crypto';
import type { Originate, RapidResponse } from '@callwire/types';
import { sql } from 'kysely';
import { assertVoiceNumber, type CallsService } from './calls-service.js';
import type { TelephonyDeps } from './deps.js';
import { conflict, invalidField, notFound } from './errors.js';
import { Q850 } from './q850.js';
import { iso } from './time.js';

/** A rapid-response entry for the same callee within this window is a duplicate. */
export const RAPID_RESPONSE_WINDOW_MS = 60 * 60 * 1000;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Click-to-call (originate) and rapid response, both built from two call legs: the first leg is
 * dialled, and once it is live the second is dialled as its child and the two are bridged.
 */
export class VoiceService {
  readonly deps: TelephonyDeps;
  readonly calls: CallsService;

  constructor(deps: TelephonyDeps, calls: CallsService) {
    this.deps = deps;
    this.calls = calls;
  }

  #now(): string {
    return iso(this.deps.scheduler.now());
  }

  async #defaultFrom(accountId: string): Promise<string> {
    const lease = await this.deps.db
      .selectFrom('tn_lease')
      .select('tn')
      .where('account_id', '=', accountId)
      .where('voice', '=', 1)
      .where('deleted_on', 'is', null)
      .orderBy('created_on')
      .orderBy('tn')
      .executeTakeFirst();
    if (lease === undefined)
      throw invalidField('body.from', 'is required: this account has no voice number to call from');
    return lease.tn;
  }

  /**
   * Connects two legs: dials `first`; once live, dials `second` from the same caller id and
   * bridges them. `progress` records the composite operation's state; `secondLeg` its second call.
   */
  async #twoLegs(
    accountId: string,
    from: string,
    first: { to: string; call_flow_xml?: string },
    second: string,
    progress: {
      secondLeg: (uuid: string) => Promise<void>;
      state: (state: 'bridged' | 'completed' | 'failed') => Promise<void>;
    },
  ): Promise<string> {
    const leg1 = await this.calls.create(accountId, { from, ...first });
    let bridged = false;
    let finished = false;
    const finish = async (state: 'completed' | 'failed') => {
      if (finished) return;
      finished = true;
      await progress.state(state);
    };
    this.calls.whenLive(leg1.uuid, async () => {
      try {
        const leg2 = await this.calls.create(accountId, { from, to: second }, { parent: leg1.uuid });
        await progress.secondLeg(leg2.uuid);
        this.calls.whenLive(leg2.uuid, async () => {
          await this.calls.bridge(accountId, leg1.uuid, leg2.uuid);
          bridged = true;
          await progress.state('bridged');
        });
        this.calls.whenEnded(leg2.uuid, async () => {
          if (!bridged) await this.calls.hangupNow(accountId, leg1.uuid, Q850.NORMAL_CLEARING);
          await finish(bridged ? 'completed' : 'failed');
        });
      } catch (error) {
        this.deps.logError(error, 'the second leg could not be created');
        await this.calls.hangupNow(accountId, leg1.uuid, Q850.NORMAL_CLEARING);
        await finish('failed');
      }
    });
    this.calls.whenEnded(leg1.uuid, async (call) => {
      if (call.answer_on === null) await finish('failed');
    });
    return leg1.uuid;
  }

  // ---- originate -------------------------------------------------------------------------------

  async originate(accountId: string, input: { caller: string; callee: string; from?: string | undefined }) {
    const from = input.from ?? (await this.#defaultFrom(accountId));
    await assertVoiceNumber(this.deps.db, accountId, from, 'body.from');
    const uuid = randomUUID();
    const now = this.#now();
    const row = {
      uuid,
      account_id: accountId,
      caller: input.caller,
      callee: input.callee,
      from_tn: from,
      caller_call: '',
      callee_call: null as string | null,
      state: 'processing',
      created_on: now,
      modified_on: now,
    };
    await this.deps.db.insertInto('originate').values(row).execute();
    const set = (values: { state?: string; callee_call?: string; caller_call?: string }) =>
      this.deps.db
        .updateTable('originate')
        .set({ ...values, modified_on: this.#now() })
        .where('uuid', '=', uuid)
        .execute()
        .then(() => undefined);
    row.caller_call = await this.#twoLegs(accountId, from, { to: input.caller }, input.callee, {
      secondLeg: (callee_call) => set({ callee_call }),
      state: (state) => set({ state }),
    });
    await set({ caller_call: row.caller_call });
    return originateOut(row);
  }

  async getOriginate(accountId: string, uuid: string): Promise<Originate> {
    const row = await this.deps.db
      .selectFrom('originate')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (row === undefined) throw notFound('originate request');
    return originateOut(row);
  }

  // ---- rapid response --------------------------------------------------------------------------

  async rapidResponse(accountId: string, input: { callee: string; agent: string; whisper_text: string }) {
    const since = iso(this.deps.scheduler.now() - RAPID_RESPONSE_WINDOW_MS);
    const from = await this.#defaultFrom(accountId);
    const uuid = randomUUID();
    const now = this.#now();
    const row = {
      uuid,
      account_id: accountId,
      callee: input.callee,
      agent: input.agent,
      whisper_text: input.whisper_text,
      queue_status: 'processing',
      agent_call: null as string | null,
      created_on: now,
      modified_on: now,
    };
    // Check and insert in one transaction holding the account's queue lock (SQLite: the write
    // lock its transactions start with; PostgreSQL: a transaction-scoped advisory lock), so two
    // racing requests for one callee cannot both get in.
    await this.deps.db.transaction().execute(async (trx) => {
      if (this.deps.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext(${`rapidresponse:${accountId}`}))`.execute(trx);
      }
      const duplicate = await trx
        .selectFrom('rapid_response')
        .select('uuid')
        .where('account_id', '=', accountId)
        .where('callee', '=', input.callee)
        .where('created_on', '>', since)
        .executeTakeFirst();
      if (duplicate !== undefined) {
        throw conflict('this callee is already in the queue (within the last hour)', 'duplicate_queue_entry');
      }
      await trx.insertInto('rapid_response').values(row).execute();
    });
    // The agent hears the whisper first, then the lead is dialled and bridged in.
    const whisper = `<Response><Say>${escapeXml(input.whisper_text)}</Say></Response>`;
    const agentCall = await this.#twoLegs(
      accountId,
      from,
      { to: input.agent, call_flow_xml: whisper },
      input.callee,
      {
        secondLeg: async () => undefined,
        state: async (state) => {
          if (state === 'bridged') return;
          await this.deps.db
            .updateTable('rapid_response')
            .set({ queue_status: state, modified_on: this.#now() })
            .where('uuid', '=', uuid)
            .execute();
        },
      },
    );
    await this.deps.db
      .updateTable('rapid_response')
      .set({ agent_call: agentCall })
      .where('uuid', '=', uuid)
      .execute();
    const out: RapidResponse = {
      uuid,
      queue_status: 'processing',
      callee: input.callee,
      whisper_text: input.whisper_text,
      agent: input.agent,
    };
    return out;
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
