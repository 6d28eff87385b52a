import type { Step } from './step-store.js';

/**
 * A claim's steps in the groups that share a transaction, up to `perTransaction` steps a group.
 * Without `groupable`, consecutive steps in due order. With it (PostgreSQL's lock-safe groups),
 * only steps of those kinds share a transaction, and only with steps of the same account; every
 * other step is a group of its own. Groups come in the due order of their first steps.
 */
export function transactionGroups(
  steps: readonly Step[],
  perTransaction: number,
  groupable: ReadonlySet<string> | undefined,
): Step[][] {
  const groups: Step[][] = [];
  if (groupable === undefined) {
    for (let i = 0; i < steps.length; i += perTransaction) groups.push(steps.slice(i, i + perTransaction));
    return groups;
  }
  const open = new Map<string, Step[]>();
  for (const step of steps) {
    if (!groupable.has(step.kind)) {
      groups.push([step]);
      continue;
    }
    let group = open.get(step.accountId);
    if (group === undefined || group.length >= perTransaction) {
      group = [];
      open.set(step.accountId, group);
      groups.push(group);
    }
    group.push(step);
  }
  return groups;
}
