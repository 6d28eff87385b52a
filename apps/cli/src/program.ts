import { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { type Context, createContext, createOutput, type GlobalOptions } from './context.js';
import type { RunIO } from './io.js';
import { PLATFORM_COMMANDS } from './program-commands.js';
import { TOOL_COMMANDS } from './program-tools.js';

export interface RunState {
  options: GlobalOptions;
  baseUrl?: string;
  secrets: Set<string>;
}

export type Handler<O> = (ctx: Context, opts: O, args: string[]) => Promise<void>;

/** How command files add commands: `sub` makes a subcommand, `act` lazily loads its implementation. */
export interface CommandKit {
  sub(parent: Command, name: string, description: string): Command;
  act<O>(handler: () => Promise<Handler<O>>): (...args: unknown[]) => Promise<void>;
}

/** Top-level commands registered together: `names` are the words that invoke them. */
export interface CommandGroup {
  names: readonly string[];
  register(program: Command, kit: CommandKit): void;
}

/** Every command, in the order `callwire --help` lists them. */
const COMMAND_GROUPS: readonly CommandGroup[] = [...PLATFORM_COMMANDS, ...TOOL_COMMANDS];

/**
 * The command tree. Only commander is loaded up front; each action imports its implementation
 * (and through it the SDK, prompts, websocket client) when it runs, so `callwire --help` and typos
 * stay fast.
 *
 * When `commandWord` (the first argument) names a command, only that command's group is built:
 * parsing `callwire numbers list …` never looks at the other commands, and building all of them
 * (dozens of commands and their options) is a noticeable part of a command's start. Anything
 * else (no command, an option first, `help`, a typo) gets the whole tree, so help, suggestions and
 * completion see every command.
 */
export function buildProgram(io: RunIO, state: RunState, commandWord?: string): Command {
  const act =
    <O>(handler: () => Promise<Handler<O>>) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command;
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      state.options = globals;
      const output = createOutput(io, globals);
      const ctx = await createContext(io, globals, output);
      state.baseUrl = ctx.settings.baseUrl;
      state.secrets = ctx.secrets;
      const fn = await handler();
      await fn(
        ctx,
        cmd.opts<O & object>(),
        (cmd.processedArgs as unknown[]).flat().filter((a): a is string => typeof a === 'string'),
      );
    };

  const program = new Command('callwire')
    .description('Work with the Callwire platform: numbers, SMS, calls, reports and live events.')
    .version(packageJson.version, '-v, --version')
    .option('-p, --profile <name>', 'use this profile (env CALLWIRE_PROFILE)')
    .option('--base-url <url>', 'API base URL (env CALLWIRE_BASE_URL, default http://127.0.0.1:8787)')
    .option('-a, --account <id|name>', 'act on this account for this command only (env CALLWIRE_ACCOUNT_ID)')
    .option('--json', 'print machine-readable JSON')
    .option('--debug', 'print each HTTP request and response (credentials redacted) to stderr')
    .option('--no-color', 'disable colours (same as NO_COLOR=1)')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ callwire login --username bob@example.com
  $ callwire accounts
  $ callwire use "Acme Dental"
  $ callwire sms send --from +12015550100 --to +12015550123 --message "Hello"
  $ callwire events tail --types 'sms.*'
  $ callwire events forward --to http://localhost:3000/webhook

Exit codes: 0 ok, 1 error, 2 usage. Docs: the README of @callwire/cli.`,
    );

  // A subcommand inherits the exit override and the output streams from its parent (commander's
  // copyInheritedSettings), so usage errors anywhere in the tree surface as exit 2 on these streams.
  const sub = (parent: Command, name: string, description: string) =>
    parent.command(name).description(description);

  const kit: CommandKit = { sub, act };
  const wanted = COMMAND_GROUPS.find(
    (group) => commandWord !== undefined && group.names.includes(commandWord),
  );
  for (const group of wanted ? [wanted] : COMMAND_GROUPS) group.register(program, kit);
  return program;
}
