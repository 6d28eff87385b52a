import { Q850 } from './q850.js';
import { lastFour } from './tn-pattern.js';

/** Simulated delays, in simulated milliseconds. */
export const RING_BEFORE_ANSWER_MS = 2_000;
export const RING_BEFORE_BUSY_MS = 1_000;
export const NO_ANSWER_AFTER_MS = 30_000;
export const DEFAULT_TALK_SECS = 5;
/** Between `call.hangup` and `call.destroyed` (media teardown). */
export const DESTROY_AFTER_MS = 100;

/**
 * What the far end does with a call, decided by the destination's last four digits:
 * `0486` busy, `0408` rings out, `0404` does not exist, anything else answers after 2 s of ringing.
 */
export type CallOutcome =
  | { kind: 'answer'; ringMs: number; talkMs: number }
  | { kind: 'busy'; ringMs: number; cause: number }
  | { kind: 'no_answer'; ringMs: number; cause: number }
  | { kind: 'unallocated'; cause: number }
  | { kind: 'rejected'; cause: number };

export function outcomeFor(
  destination: string,
  options: { talkSecs?: number | undefined; timeoutSecs?: number | undefined } = {},
): CallOutcome {
  const suffix = lastFour(destination);
  const timeoutMs = options.timeoutSecs === undefined ? NO_ANSWER_AFTER_MS : options.timeoutSecs * 1000;
  if (suffix === '0486') return { kind: 'busy', ringMs: RING_BEFORE_BUSY_MS, cause: Q850.USER_BUSY };
  if (suffix === '0404') return { kind: 'unallocated', cause: Q850.UNALLOCATED_NUMBER };
  if (suffix === '0408')
    return { kind: 'no_answer', ringMs: Math.min(timeoutMs, NO_ANSWER_AFTER_MS), cause: Q850.NO_ANSWER };
  // A caller's timeout shorter than the ringing gives up first: no answer, as a carrier reports it.
  if (timeoutMs < RING_BEFORE_ANSWER_MS)
    return { kind: 'no_answer', ringMs: timeoutMs, cause: Q850.NO_ANSWER };
  const talkSecs = options.talkSecs ?? DEFAULT_TALK_SECS;
  return { kind: 'answer', ringMs: RING_BEFORE_ANSWER_MS, talkMs: talkSecs * 1000 };
}

/**
 * Caller-ID screening of a TN profile: a blacklisted caller is rejected, and so is a
 * caller missing from a non-empty whitelist.
 */
export function screenCaller(
  caller: string,
  lists: { blacklist: readonly string[]; whitelist: readonly string[] },
): boolean {
  if (lists.blacklist.includes(caller)) return false;
  if (lists.whitelist.length > 0 && !lists.whitelist.includes(caller)) return false;
  return true;
}

/** Legal transitions of the call state machine. */
const NEXT: Record<string, readonly string[]> = {
  init: ['ringing', 'hangup'],
  ringing: ['live', 'hangup'],
  live: ['hangup'],
  hangup: ['destroyed'],
  destroyed: [],
};

export function canTransition(from: string, to: string): boolean {
  return NEXT[from]?.includes(to) ?? false;
}
