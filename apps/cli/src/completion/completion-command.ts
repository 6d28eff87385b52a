import type { Command } from 'commander';
import { type ConfigFile, DEFAULT_PROFILE, readConfig } from '../config/config-file.js';
import { CredentialStore } from '../config/credentials-store.js';
import { resolveConfigPaths } from '../config/paths.js';
import type { Context } from '../context.js';
import type { RunIO } from '../io.js';
import { TRIGGER_TYPES } from '../triggers.js';
import { complete } from './complete.js';
import { completionScript, type Shell } from './scripts.js';

/** `callwire completion bash|zsh|fish`: prints the script to load in that shell. */
export async function printScript(ctx: Context, _opts: unknown, args: string[]): Promise<void> {
  const shell = args[0] as Shell;
  const script = completionScript(shell);
  ctx.output.result({ shell, script }, () => script);
}

/**
 * `callwire __complete <words…>`: the candidates the shell scripts ask for, one per line. It reads
 * only the local config (never the network), and prints nothing rather than an error, because its
 * output lands in the user's command line.
 */
export async function completeWords(program: Command, words: string[], io: RunIO): Promise<void> {
  const paths = resolveConfigPaths(io.env);
  const config: ConfigFile = await readConfig(paths.config).catch(() => ({ profiles: {} }));
  const candidates = await complete(program, words.length === 0 ? [''] : words, {
    profiles: async () => {
      const stored = await new CredentialStore(paths.credentials).all().catch(() => ({}));
      return [...new Set([...Object.keys(config.profiles), ...Object.keys(stored)])].sort();
    },
    accounts: async (profile) => {
      const name = profile || io.env.CALLWIRE_PROFILE || config.current_profile || DEFAULT_PROFILE;
      return (config.profiles[name]?.accounts ?? []).map((a) => a.name);
    },
    triggerTypes: TRIGGER_TYPES,
  });
  if (candidates.length > 0) io.stdout.write(`${candidates.join('\n')}\n`);
}
