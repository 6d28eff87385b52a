import type { OutputStream } from '../io.js';
import type { Colors } from '../output/color.js';

/**
 * Progress of a bulk run on stderr: a bar redrawn in place on a terminal, a plain line every 5% when
 * stderr is a file or a pipe (so CI logs stay readable), and nothing at all with --json.
 */
export type ProgressMode = 'bar' | 'lines' | 'silent';

export interface ProgressOptions {
  mode: ProgressMode;
  stream: OutputStream;
  colors: Colors;
  total: number;
  /** Epoch ms; injected so the rate and ETA can be tested without waiting. @default Date.now */
  now?: () => number;
}

/** `95` → `1m35s`; under a minute `12s`. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.ceil(seconds));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class Progress {
  readonly #o: ProgressOptions;
  readonly #now: () => number;
  readonly #started: number;
  readonly #step: number;
  #done = 0;
  #failed = 0;
  #lastLine = 0;
  #lastDraw = 0;
  #drawn = false;

  constructor(options: ProgressOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#started = this.#now();
    this.#step = Math.max(1, Math.ceil(options.total / 20));
  }

  /** Rows finished per second so far, and the seconds left at that rate. */
  stats(): { rate: number; eta: number } {
    const elapsed = Math.max(0.001, (this.#now() - this.#started) / 1000);
    const rate = this.#done / elapsed;
    return { rate, eta: rate > 0 ? (this.#o.total - this.#done) / rate : Number.POSITIVE_INFINITY };
  }

  /** One row finished (sent, replayed or failed). */
  tick(failed: boolean): void {
    this.#done += 1;
    if (failed) this.#failed += 1;
    const last = this.#done === this.#o.total;
    if (this.#o.mode === 'lines') {
      if (last || this.#done - this.#lastLine >= this.#step) {
        this.#lastLine = this.#done;
        this.#o.stream.write(`${this.#text()}\n`);
      }
    } else if (this.#o.mode === 'bar') {
      // At most ~12 redraws a second: a fast run should not spend its time painting.
      const now = this.#now();
      if (last || now - this.#lastDraw >= 80) {
        this.#lastDraw = now;
        this.#draw();
      }
    }
  }

  /** A message about one row (a bad line, a refused request): printed above the bar, never lost. */
  note(text: string): void {
    if (this.#o.mode === 'silent') return;
    if (this.#o.mode === 'bar' && this.#drawn) this.#o.stream.write('\r\u001b[2K');
    this.#o.stream.write(`${text}\n`);
    if (this.#o.mode === 'bar' && this.#drawn) this.#draw();
  }

  /** Leaves the terminal on a fresh line after the bar. */
  finish(): void {
    if (this.#o.mode === 'bar' && this.#drawn) this.#o.stream.write('\n');
  }

  #text(): string {
    const { rate, eta } = this.stats();
    const total = this.#o.total;
    const pct = total === 0 ? 100 : Math.floor((this.#done / total) * 100);
    const failed = this.#failed > 0 ? `, ${this.#failed} failed` : '';
    return `${this.#done}/${total} (${pct}%${failed})  ${rate.toFixed(1)}/s  ETA ${formatEta(eta)}`;
  }

  #draw(): void {
    const c = this.#o.colors;
    const text = this.#text();
    const columns = this.#o.stream.columns ?? 80;
    const width = Math.max(10, Math.min(40, columns - text.length - 4));
    const total = this.#o.total;
    const filled = total === 0 ? width : Math.round((this.#done / total) * width);
    const bar = c.green('█'.repeat(filled)) + c.dim('░'.repeat(width - filled));
    this.#o.stream.write(`\r\u001b[2K${bar}  ${text}`);
    this.#drawn = true;
  }
}
