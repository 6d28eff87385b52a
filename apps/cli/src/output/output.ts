import type { Env, OutputStream } from '../io.js';
import { type Colors, colors, shouldColor } from './color.js';
import { type Column, renderTable } from './table.js';

/**
 * Everything a command prints goes through here. Data goes to stdout (a table for people, JSON for
 * machines with --json); status lines, the acting-account banner and progress go to stderr, so
 * `callwire sms list --json | jq` never sees them.
 */
export class Output {
  readonly out: Colors;
  readonly err: Colors;

  constructor(
    readonly stdout: OutputStream,
    readonly stderr: OutputStream,
    readonly json: boolean,
    env: Env,
  ) {
    this.out = colors(!json && shouldColor(stdout, env));
    this.err = colors(shouldColor(stderr, env));
  }

  /** Writes a value as pretty JSON (--json) or calls `human` for the text form. */
  result(value: unknown, human: () => string): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else this.stdout.write(human());
  }

  /** A list: a table for people (with an empty-state line), the array for --json. */
  list<T>(
    rows: readonly T[],
    columns: readonly Column<T>[],
    options: { empty?: string; json?: unknown } = {},
  ): void {
    if (this.json) {
      this.stdout.write(`${JSON.stringify(options.json ?? rows, null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      this.stderr.write(`${this.err.dim(options.empty ?? 'Nothing to show.')}\n`);
      return;
    }
    this.stdout.write(renderTable(rows, columns, this.out));
  }

  /** One JSON object per line (NDJSON), for streams such as `events tail --json`. */
  ndjson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  line(text: string): void {
    this.stdout.write(`${text}\n`);
  }

  /** Status for people, on stderr; silent with --json so machine output stays clean. */
  info(text: string): void {
    if (!this.json) this.stderr.write(`${text}\n`);
  }

  success(text: string): void {
    if (!this.json) this.stderr.write(`${this.err.green('✓')} ${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`${this.err.yellow('!')} ${text}\n`);
  }
}
