/** The ITU-T Q.850 release causes the simulated network uses, with the strings carriers log. */
export const Q850 = {
  UNALLOCATED_NUMBER: 1,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  CALL_REJECTED: 21,
  NORMAL_UNSPECIFIED: 31,
  ORIGINATOR_CANCEL: 487,
} as const;

const STRINGS: Record<number, string> = {
  1: 'UNALLOCATED_NUMBER',
  16: 'NORMAL_CLEARING',
  17: 'USER_BUSY',
  18: 'NO_USER_RESPONSE',
  19: 'NO_ANSWER',
  21: 'CALL_REJECTED',
  31: 'NORMAL_UNSPECIFIED',
  487: 'ORIGINATOR_CANCEL',
};

export function q850String(cause: number): string {
  return STRINGS[cause] ?? 'NORMAL_UNSPECIFIED';
}
