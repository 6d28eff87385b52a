/** setTimeout clamps delays above 2^31-1 ms (~24.8 days) to 1 ms; API tokens can live longer. */
const MAX_DELAY = 2_147_483_647;

export interface LongTimer {
  cancel(): void;
}

/**
 * Calls `fn` once `at` (epoch ms, per `now`) has passed, re-arming across long delays. Always
 * asynchronous, even when `at` is already past.
 */
export function setLongTimer(at: number, now: () => number, fn: () => void): LongTimer {
  let handle: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const left = at - now();
    handle = setTimeout(
      () => {
        if (at - now() <= 0) {
          handle = undefined;
          fn();
        } else {
          arm();
        }
      },
      Math.max(0, Math.min(left, MAX_DELAY)),
    );
    handle.unref?.();
  };
  arm();
  return {
    cancel() {
      if (handle !== undefined) clearTimeout(handle);
      handle = undefined;
    },
  };
}
