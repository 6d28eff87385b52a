import { CommanderError } from 'commander';
import { createOutput, type GlobalOptions } from './context.js';
import type { RunIO } from './io.js';
import { redact } from './output/redact.js';
import { printError, toErrorReport } from './output/render-error.js';
import { buildProgram } from './program.js';

/** Exit codes: 0 ok, 1 an error (API, network, auth), 2 bad usage (unknown flag, missing argument). */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/**
 * Runs the CLI with `argv` (the arguments after `callwire`) and returns the exit code. Never calls
 * process.exit and never touches process.env or process.stdout itself, so tests and embedders can
 * run it in-process with their own environment and streams.
 */
export async function run(argv: readonly string[], partialIO: Partial<RunIO> = {}): Promise<number> {
  const io: RunIO = {
    env: partialIO.env ?? process.env,
    stdout: partialIO.stdout ?? process.stdout,
    stderr: partialIO.stderr ?? process.stderr,
    stdin: partialIO.stdin ?? process.stdin,
    ...(partialIO.signal ? { signal: partialIO.signal } : {}),
    ...(partialIO.fetch ? { fetch: partialIO.fetch } : {}),
  };
  const state: { options: GlobalOptions; baseUrl?: string; secrets: Set<string> } = {
    options: { json: argv.includes('--json') },
    secrets: new Set(),
  };
  // Tab completion needs every command; anything else builds only what its first word names.
  const program = buildProgram(io, state, argv[0] === '__complete' ? undefined : argv[0]);
  if (argv[0] === '__complete') {
    // The shell scripts' hook: handled before parsing, so the words being completed (flags included)
    // are never taken as options of this run.
    const { completeWords } = await import('./completion/completion-command.js');
    await completeWords(program, argv.slice(1), io);
    return EXIT_OK;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      // commander already printed the message (and help where relevant) through configureOutput.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const output = createOutput(io, state.options);
    const report = toErrorReport(error, {
      ...(state.baseUrl ? { baseUrl: state.baseUrl } : {}),
      secrets: [...state.secrets],
    });
    printError(output, report);
    if (state.options.debug && error instanceof Error && error.stack && report.exitCode === EXIT_ERROR) {
      output.stderr.write(`${output.err.dim(redact(error.stack, state.secrets))}\n`);
    }
    return report.exitCode;
  }
}
