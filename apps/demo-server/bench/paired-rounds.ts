// Paired rounds: how the auth bench compares two endpoints served by one process (a credential
// door and the bare route) on CPU time per request, when that figure moves by more than the margin
// being judged. Most of a request's CPU is the socket write that hands the answer to the load
// generator on the same two cores; what it costs follows whatever else the machine runs at that
// moment, and it shifts the door and the bare route alike. Measured minutes apart, one of them
// catches a busier moment than the other; so they take turns instead: short rounds, the one that
// goes first alternating from round to round, one ratio per round, and the median of those ratios
// as the figure, with the lowest and highest ratio kept so that the spread is in view.
import { readdirSync, readFileSync } from 'node:fs';
import { median } from './kit.ts';
import { load } from './load.ts';

/** What a load run requests. */
export interface Endpoint {
  url: string;
  headers: Record<string, string>;
}

/** One load run: requests/s, and CPU ms the process spent per 1000 requests (undefined without /proc). */
export interface Measured {
  rps: number;
  cpuPerK: number | undefined;
  non2xx: number;
}

export interface PairedRounds {
  /**
   * One ratio per round: the baseline's CPU per request over the other's (above 1: the other costs
   * less), or, where the CPU time cannot be read, the other's requests/s over the baseline's.
   */
  ratios: number[];
  /** The median of {@link PairedRounds.ratios}: the figure to judge. */
  ratio: number;
  /** Whether the ratios compare CPU per request (true) or requests/s (no /proc). */
  byCpu: boolean;
  base: Measured[];
  other: Measured[];
}

function sumExecNs(pid: number): number {
  let ns = 0;
  let read = 0;
  // Every thread's run time in nanoseconds: exact, where /proc/<pid>/stat counts 10 ms ticks (1 %
  // of a one-second round). The process's threads (garbage collector, libuv) live as long as it.
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      read++;
    } catch {
      // The thread ended between the listing and the read: its time is in no later reading either.
    }
  }
  if (read === 0) throw new Error('no schedstat');
  return ns;
}

/** CPU time (ms) a process has used so far, from /proc; undefined where there is no /proc. */
export function processCpuMs(pid: number): number | undefined {
  try {
    return sumExecNs(pid) / 1e6;
  } catch {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
    } catch {
      return undefined;
    }
  }
}

/** One load run of `seconds` against `endpoint`, with the CPU time process `pid` spent on it. */
export async function measure(pid: number, endpoint: Endpoint, seconds: number): Promise<Measured> {
  const before = processCpuMs(pid);
  const r = await load({ url: endpoint.url, headers: endpoint.headers, seconds });
  const after = processCpuMs(pid);
  const cpuPerK =
    before === undefined || after === undefined || r.requests.total === 0
      ? undefined
      : ((after - before) / r.requests.total) * 1000;
  return { rps: r.requests.average, cpuPerK, non2xx: r.non2xx };
}

/**
 * `rounds` rounds of one load run each against `base` and `other`, both served by process `pid`;
 * even rounds run `base` first, odd rounds `other` first, so that neither always meets the state
 * the other left behind (warm caches, garbage to collect).
 */
export async function pairedRounds(
  pid: number,
  base: Endpoint,
  other: Endpoint,
  rounds: number,
  seconds: number,
): Promise<PairedRounds> {
  const baseRuns: Measured[] = [];
  const otherRuns: Measured[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      baseRuns.push(await measure(pid, base, seconds));
      otherRuns.push(await measure(pid, other, seconds));
    } else {
      otherRuns.push(await measure(pid, other, seconds));
      baseRuns.push(await measure(pid, base, seconds));
    }
  }
  const byCpu = [...baseRuns, ...otherRuns].every((m) => m.cpuPerK !== undefined);
  const ratios = baseRuns.map((b, i) => {
    const o = otherRuns[i] as Measured;
    return byCpu ? (b.cpuPerK as number) / (o.cpuPerK as number) : o.rps / b.rps;
  });
  return { ratios, ratio: median(ratios), byCpu, base: baseRuns, other: otherRuns };
}
