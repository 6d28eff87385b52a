import { execFileSync, spawnSync } from 'node:child_process';
import { eventually } from './cli-process.js';

/** Whether a program is installed (tmux, zsh, fish), for skipping with a reason instead of failing. */
export function installed(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

/**
 * A real terminal: a detached tmux session on its own server socket, running `command` with `env`.
 * Keys go in with send-keys, the screen comes back with capture-pane, as a person would see it.
 */
export class Terminal {
  readonly #socket: string;

  private constructor(socket: string) {
    this.#socket = socket;
  }

  static start(command: string, env: Record<string, string>, size = { columns: 160, rows: 40 }): Terminal {
    const socket = `callwire-e2e-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const terminal = new Terminal(socket);
    const exports = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
    terminal.#tmux(
      'new-session',
      '-d',
      '-x',
      String(size.columns),
      '-y',
      String(size.rows),
      `env -i ${exports.join(' ')} TERM=xterm-256color HISTFILE=/dev/null ${command}`,
    );
    return terminal;
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.#socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** Types text literally (no key names). */
  type(text: string): void {
    this.#tmux('send-keys', '-l', '--', text);
  }

  /** Presses keys by name: Enter, Tab, Down, C-c. */
  press(...keys: string[]): void {
    this.#tmux('send-keys', ...keys);
  }

  /** The visible screen as text; with `escapes`, colours included as escape codes. */
  screen(escapes = false): string {
    return this.#tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-J');
  }

  /** Waits until the screen shows `text` (or matches it), and returns the screen. */
  waitFor(text: string | RegExp, ms = 15_000): Promise<string> {
    return eventually(
      `"${text}" on the screen`,
      async () => {
        const screen = this.screen();
        return (typeof text === 'string' ? screen.includes(text) : text.test(screen)) ? screen : undefined;
      },
      ms,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the screen was:\n${this.screen()}`);
    });
  }

  close(): void {
    try {
      this.#tmux('kill-server');
    } catch {
      // Already gone with its last window.
    }
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
