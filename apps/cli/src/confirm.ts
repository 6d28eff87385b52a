import type { Readable, Writable } from 'node:stream';
import type { Context } from './context.js';
import { CliError, UsageError } from './errors.js';

/**
 * Asks before something that costs money or cannot be undone. `--yes` skips the question; without a
 * terminal there is nobody to ask, so the command refuses (exit 2) rather than guessing.
 */
export async function confirmOrAbort(
  ctx: Context,
  question: string,
  yes: boolean | undefined,
): Promise<void> {
  if (yes) return;
  if (!ctx.interactive) {
    throw new UsageError(`${question} Refusing without confirmation.`, 'Pass --yes to confirm in scripts.');
  }
  const prompts = await import('@clack/prompts');
  const answer = await prompts.confirm({
    message: question,
    initialValue: false,
    input: ctx.io.stdin as unknown as Readable,
    output: ctx.io.stderr as unknown as Writable,
  });
  if (prompts.isCancel(answer) || answer !== true) throw new CliError('Cancelled.');
}
