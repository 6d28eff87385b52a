import { describe, expect, it } from 'vitest';
import { transactionGroups } from './step-groups.js';
import type { Step } from './step-store.js';

let nextId = 1;
function step(kind: string, accountId: string): Step {
  const id = nextId++;
  return { id, kind, target: `t${id}`, accountId, payload: {}, dueMs: id, attempt: 0 };
}

const ids = (groups: Step[][]) => groups.map((g) => g.map((s) => s.id));

describe('the transactions a claim of steps runs in', () => {
  it('are consecutive runs of steps when transactions run one at a time', () => {
    const steps = [step('sms.sent', 'a'), step('call.hangup', 'b'), step('sms.sent', 'a')];
    expect(ids(transactionGroups(steps, 2, undefined))).toEqual([
      [steps[0]?.id, steps[1]?.id],
      [steps[2]?.id],
    ]);
  });

  it('with lock-safe groups, put only groupable steps of one account together, the rest alone', () => {
    const groupable = new Set(['sms.sending', 'sms.sent']);
    const [a1, b1, hang, a2, a3, d] = [
      step('sms.sending', 'a'),
      step('sms.sent', 'b'),
      step('call.hangup', 'a'),
      step('sms.sent', 'a'),
      step('sms.sending', 'a'),
      step('sms.delivered', 'a'),
    ];
    const groups = transactionGroups([a1, b1, hang, a2, a3, d] as Step[], 2, groupable);
    expect(ids(groups)).toEqual([[a1?.id, a2?.id], [b1?.id], [hang?.id], [a3?.id], [d?.id]]);
  });
});
