/**
 * What a run of the CLI talks to. `run()` takes these explicitly so tests (and embedders) can drive the
 * CLI in-process with their own environment and streams; bin.ts passes the real process ones.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface InputStream extends AsyncIterable<string | Uint8Array> {
  isTTY?: boolean;
}

export type Env = Record<string, string | undefined>;

export interface RunIO {
  env: Env;
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: InputStream;
  /** Aborted on Ctrl-C by the bin; long-running commands (events tail/forward) stop cleanly on it. */
  signal?: AbortSignal;
  /** Injected by tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Reads all of stdin as UTF-8 text (used by --password-stdin). */
export async function readAll(stdin: InputStream): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
