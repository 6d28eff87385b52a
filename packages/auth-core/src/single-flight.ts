/**
 * At most one run of `task` at a time: callers arriving while it runs share its promise. This is
 * what keeps a thousand requests that see an expired token from sending a thousand refreshes,
 * which with rotating refresh tokens would revoke the whole session (supabase auth-js #213).
 */
export interface SingleFlight<T> {
  (): Promise<T>;
  /** The run in progress, if any. */
  readonly current: Promise<T> | undefined;
}

/** Wraps `task` so that concurrent callers share one run of it (see {@link SingleFlight}). */
export function singleFlight<T>(task: () => Promise<T>): SingleFlight<T> {
  let inflight: Promise<T> | undefined;
  const run = (() => {
    if (inflight !== undefined) return inflight;
    const promise: Promise<T> = Promise.resolve()
      .then(task)
      .finally(() => {
        // Only the run that is still current may clear the slot.
        if (inflight === promise) inflight = undefined;
      });
    inflight = promise;
    return promise;
  }) as SingleFlight<T>;
  Object.defineProperty(run, 'current', { get: () => inflight });
  return run;
}
