/**
 * Money in integer micro-dollars (1 USD = 1 000 000). The API speaks USD numbers with up to five
 * decimals; every sum and comparison happens on integers so that 0.0075 × 3 is exact.
 */
export const MICROS_PER_DOLLAR = 1_000_000;

/** Number setup fee, charged once when an order item succeeds. */
export const NUMBER_SETUP_MICROS = 1_000_000;
/** Monthly number fee; the first month is charged with the setup fee. */
export const NUMBER_MONTHLY_MICROS = 1_000_000;
/** One SMS segment. */
export const SMS_SEGMENT_MICROS = 7_500;
/** One started minute of a call. */
export const CALL_MINUTE_MICROS = 13_000;

/** A number's month: the monthly fee is charged again after this long (simulated time). */
export const RENEWAL_PERIOD_MS = 30 * 24 * 60 * 60 * 1000;

/** What buying one number costs up front: setup plus the first month. */
export const NUMBER_PURCHASE_MICROS = NUMBER_SETUP_MICROS + NUMBER_MONTHLY_MICROS;

/** Micro-dollars → the API's USD number (at most 5 decimals: micro-dollars below 10 are rounded). */
export function toDollars(micros: number): number {
  return Math.round(micros / 10) / 100_000;
}

/** USD number → micro-dollars, rounded to the nearest micro-dollar. */
export function toMicros(dollars: number): number {
  return Math.round(dollars * MICROS_PER_DOLLAR);
}

export function smsCostMicros(segments: number): number {
  return segments * SMS_SEGMENT_MICROS;
}

/** Billable minutes are started minutes: 1 s → 1 minute, 60 s → 1, 61 s → 2, 0 s → 0. */
export function callCostMicros(billableSeconds: number): number {
  if (billableSeconds <= 0) return 0;
  return Math.ceil(billableSeconds / 60) * CALL_MINUTE_MICROS;
}
