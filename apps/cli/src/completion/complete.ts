import type { Command, Option } from 'commander';

/** Values that depend on the user's stored state, looked up only when a word needs them. */
export interface CompletionSources {
  profiles(): Promise<string[]>;
  /** Account names of the profile (the one named by -p/--profile on the line, else this run's). */
  accounts(profile: string | undefined): Promise<string[]>;
  /** Event types `callwire trigger` accepts. */
  triggerTypes: readonly string[];
}

/** What kind of value an option or an argument takes, for the ones completion knows. */
type ValueKind = 'profile' | 'account' | 'trigger' | 'patterns' | undefined;

const OPTION_VALUES: Record<string, ValueKind> = {
  '--profile': 'profile',
  '--account': 'account',
  '--types': 'patterns',
  '--type': 'trigger',
};

/** Arguments whose values completion can list: `use <account>`, `profiles remove <name>`, … */
const ARGUMENT_VALUES: Record<string, ValueKind> = {
  use: 'account',
  'profiles remove': 'profile',
  trigger: 'trigger',
};

const PATTERNS = ['*', 'call.*', 'sms.*', 'tn.*', 'account.*', 'batch.*'];

function visible(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
}

function optionsOf(chain: Command[]): Option[] {
  // The program's options (--json, --profile, …) apply to every command.
  return chain.flatMap((c) => c.options.filter((o) => !o.hidden));
}

function findOption(options: Option[], word: string): Option | undefined {
  return options.find((o) => o.long === word || o.short === word);
}

function pathOf(chain: Command[]): string {
  return chain
    .slice(1)
    .map((c) => c.name())
    .join(' ');
}

/**
 * The candidates for the last of `words` (the words typed after `callwire`, the last one possibly
 * empty), one per line for the shell scripts. Nothing is printed for values completion cannot know
 * (a message, a number): the shells then fall back to file names, which is what `--file` wants.
 */
export async function complete(
  program: Command,
  words: readonly string[],
  sources: CompletionSources,
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const chain: Command[] = [program];
  let pending: Option | undefined;
  let profile: string | undefined;
  let positional = 0;
  for (const word of words.slice(0, -1)) {
    if (pending) {
      if (pending.long === '--profile') profile = word;
      pending = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const [flag, inline] = word.split('=', 2) as [string, string | undefined];
      const option = findOption(optionsOf(chain), flag);
      if (option && (option.required || option.optional) && inline === undefined) pending = option;
      else if (option?.long === '--profile' && inline !== undefined) profile = inline;
      continue;
    }
    const sub = visible(chain.at(-1)!).find((c) => c.name() === word || c.aliases().includes(word));
    if (sub && positional === 0) chain.push(sub);
    else positional += 1;
  }
  const cmd = chain.at(-1)!;
  const kind: ValueKind = pending
    ? OPTION_VALUES[pending.long ?? '']
    : current.startsWith('-')
      ? undefined
      : positional === 0
        ? ARGUMENT_VALUES[pathOf(chain)]
        : undefined;
  let candidates: string[];
  if (pending) {
    candidates = pending.argChoices ?? (await valuesOf(kind, sources, profile));
  } else if (current.startsWith('-')) {
    candidates = optionsOf(chain).flatMap((o) => (o.long ? [o.long] : []));
    candidates.push('--help');
  } else if (positional === 0 && visible(cmd).length > 0) {
    candidates = visible(cmd).map((c) => c.name());
  } else {
    candidates = await valuesOf(kind, sources, profile);
  }
  return [...new Set(candidates)].filter((c) => c.startsWith(current));
}

async function valuesOf(kind: ValueKind, sources: CompletionSources, profile: string | undefined) {
  switch (kind) {
    case 'profile':
      return sources.profiles();
    case 'account':
      return sources.accounts(profile);
    case 'trigger':
      return [...sources.triggerTypes];
    case 'patterns':
      return [...PATTERNS, ...sources.triggerTypes];
    default:
      return [];
  }
}
