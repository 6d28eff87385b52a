/**
 * Bundle budgets of the browser apps, in bytes of minified then gzipped output (gzip level 9): the
 * one place they are written. Each holds for every bundler release:check runs.
 */
export const BUNDLE_BUDGETS = {
  /** rest-client with Basic auth sending one SMS. */
  'a-basic-sms': 25 * 1024,
  /** rest-client + realtime-client with session auth, subscribing to events. */
  'b-session-events': 35 * 1024,
} as const;

export type BrowserApp = keyof typeof BUNDLE_BUDGETS;
