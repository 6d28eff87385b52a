import { EventSchema } from '@callwire/types';

/**
 * How many events of one type are all checked before checking switches to one in
 * {@link SAMPLE_EVERY}. Schema validation costs about as much as storing the event, so a busy
 * server checks a sample: a type's events come from one code path, and the first ones of each type
 * already show whether that path builds them right.
 */
const CHECK_FIRST = 100;
const SAMPLE_EVERY = 100;

/**
 * Checks emitted events against the contract's EventSchema. Strict (tests): every event is checked
 * and a mismatch throws, so the emitting transaction rolls back. Otherwise a mismatch is logged as
 * a warning and the event is kept; every event of a type is checked until {@link CHECK_FIRST} of
 * that type have been, then one in {@link SAMPLE_EVERY}.
 */
export class ContractCheck {
  readonly #strict: boolean;
  readonly #logWarn: (details: object, message: string) => void;
  /** Events seen per type (outside strict mode). */
  readonly #seen = new Map<string, number>();

  constructor(strict: boolean, logWarn: (details: object, message: string) => void) {
    this.#strict = strict;
    this.#logWarn = logWarn;
  }

  /** Checks `event` (or lets it pass unchecked, see the class); throws on a mismatch when strict. */
  check(event: { type: string }): void {
    if (!this.#strict) {
      const seen = (this.#seen.get(event.type) ?? 0) + 1;
      this.#seen.set(event.type, seen);
      if (seen > CHECK_FIRST && seen % SAMPLE_EVERY !== 0) return;
    }
    const parsed = EventSchema.safeParse(event);
    if (parsed.success) return;
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.')}: ${issue.message}`;
    const message = `event ${event.type} does not match the contract${where}`;
    if (this.#strict) throw new Error(message);
    this.#logWarn({ type: event.type, issues: parsed.error.issues.slice(0, 5) }, message);
  }
}
