import { randomUUID } from 'node:crypto';
import type { OutboundHttp } from '../../http/outbound.js';
import { callLine } from '../call-records.js';
import { parseCallflowXml, stepDurationMs } from '../callflow-xml.js';
import type { TelephonyDb } from '../deps.js';
import { Q850 } from '../q850.js';
import { callOut } from '../serialize.js';
import { CallStore } from '../stores/call-store.js';
import { type CallMachine, hangupIn } from './call-transitions.js';
import { dialLeg } from './calls.js';
import type { StepWorker } from './step-worker.js';

/** How long a call-flow URL may take to answer. */
const FLOW_URL_TIMEOUT_MS = 5_000;
/** The most a call-flow URL may answer (bytes). */
const FLOW_URL_MAX_CHARS = 65_536;

/** Payload of `call.flow`: the verb to run, the simulated time the flow has taken so far. */
interface FlowPayload {
  index: number;
  elapsedMs: number;
  /** The flow fetched from `call_flow_url`; absent when it is the call's own `call_flow_xml`. */
  xml?: string;
}

export interface CallFlowDeps {
  db: TelephonyDb;
  outbound: OutboundHttp;
  logError: (error: unknown, message: string) => void;
}

/**
 * The call flow, one step per verb, each a `call.callflow` event (`callflow-xml.ts` gives the
 * simulated lengths): `<Hangup>` ends the call, `<Dial>` dials each destination as a child leg
 * (bridged with the call when it answers), `<Record>` plans `call.recording` for when it is over.
 * A flow from `call_flow_url` is fetched first (POST of the call as JSON, 5 s at most); a URL that
 * fails leaves the call without a flow, and the reason is logged.
 */
export function registerCallFlowSteps(worker: StepWorker, m: CallMachine, deps: CallFlowDeps): void {
  worker.handle('call.flow', {
    async run({ trx, emit, schedule, step }) {
      const { index, elapsedMs, xml } = step.payload as FlowPayload;
      const row = await new CallStore(trx).byUuid(step.target);
      if (row === undefined || row.state !== 'live') return;
      const verbs = parseCallflowXml(xml ?? row.call_flow_xml ?? '');
      const verb = verbs[index];
      if (verb === undefined) return;
      const digits =
        verb.verb === 'Gather' ? '1'.repeat(Math.max(1, Number(verb.attributes.numDigits ?? 1))) : undefined;
      const call = callOut(row);
      await emit({
        accountId: row.account_id,
        type: 'call.callflow',
        refId: row.uuid,
        message: `${callLine(call)} - callflow ${verb.verb}`,
        payload: {
          ...call,
          callflow: {
            index,
            verb: verb.verb,
            attributes: verb.attributes,
            text: verb.text,
            ...(digits === undefined ? {} : { digits }),
          },
        },
      });
      if (verb.verb === 'Hangup') {
        await hangupIn(m, trx, emit, schedule, row.uuid, Q850.NORMAL_CLEARING, elapsedMs / 1000);
        return;
      }
      const duration = stepDurationMs(verb);
      const later = (kind: string, payload: unknown) =>
        schedule({ kind, target: row.uuid, accountId: row.account_id, inSimMs: duration, payload });
      if (verb.verb === 'Dial') {
        for (const raw of verb.to) {
          const to = raw.startsWith('+') ? raw : `+${raw.replace(/\D/g, '')}`;
          const leg = await dialLeg(
            m,
            trx,
            emit,
            schedule,
            row.account_id,
            { from: row.to_tn, to },
            { parent: row.uuid },
          );
          if (leg === undefined)
            deps.logError(new Error('insufficient balance'), 'a <Dial> leg could not be created');
        }
      }
      if (verb.verb === 'Record') later('call.recorded', { durationMs: duration });
      if (index + 1 < verbs.length) {
        later('call.flow', {
          index: index + 1,
          elapsedMs: elapsedMs + duration,
          ...(xml === undefined ? {} : { xml }),
        } satisfies FlowPayload);
      }
    },
  });

  worker.handle('call.recorded', {
    async run({ trx, emit, step }) {
      const { durationMs } = step.payload as { durationMs: number };
      const row = await new CallStore(trx).byUuid(step.target);
      if (row === undefined || row.state !== 'live') return;
      const call = callOut(row);
      await emit({
        accountId: row.account_id,
        type: 'call.recording',
        refId: row.uuid,
        message: `${callLine(call)} - recording`,
        payload: {
          ...call,
          recording: { uuid: randomUUID(), duration: Math.round(durationMs / 1000), url: null },
        },
      });
    },
  });

  worker.handle<string | undefined>('call.fetch_flow', {
    async prepare(step, extendLease) {
      const row = await new CallStore(deps.db).byUuid(step.target);
      if (row === undefined || row.state !== 'live') return undefined;
      await extendLease(FLOW_URL_TIMEOUT_MS);
      const { url } = step.payload as { url: string };
      try {
        const res = await deps.outbound.post({
          url,
          headers: { accept: 'application/xml, text/xml' },
          body: JSON.stringify(callOut(row)),
          timeoutMs: FLOW_URL_TIMEOUT_MS,
          maxResponseBytes: FLOW_URL_MAX_CHARS,
        });
        if (res.status < 200 || res.status > 299) throw new Error(`call_flow_url answered ${res.status}`);
        if (res.truncated) throw new Error('call_flow_url answered more than 64 KiB');
        const text = res.body;
        parseCallflowXml(text);
        return text;
      } catch (error) {
        deps.logError(error, `the call flow of call ${row.uuid} could not be fetched`);
        return undefined;
      }
    },
    async run({ schedule, step, prepared }) {
      if (prepared === undefined) return;
      schedule({
        kind: 'call.flow',
        target: step.target,
        accountId: step.accountId,
        inSimMs: 0,
        payload: { index: 0, elapsedMs: 0, xml: prepared } satisfies FlowPayload,
      });
    },
  });
}
