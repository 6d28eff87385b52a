import { Option } from 'commander';
import {
  parseConcurrency,
  parseDate,
  parseEventTypes,
  parseFeatures,
  parseHttpUrl,
  parseNonNegativeInt,
  parsePhone,
  parsePositiveInt,
} from './parse-args.js';
import type { CommandGroup } from './program.js';

/**
 * The commands for running the platform: logging in, accounts, numbers, SMS, calls, reports, tokens
 * and live events, in the order `callwire --help` lists them.
 */
export const PLATFORM_COMMANDS: readonly CommandGroup[] = [
  {
    names: ['login', 'logout', 'whoami'],
    register(program, { sub, act }) {
      sub(program, 'login', 'log in and store a session (never the password)')
        .option('-u, --username <email>', 'your email (env CALLWIRE_USERNAME)')
        .option(
          '--password-stdin',
          'read the password from stdin (for scripts: `… | callwire login --password-stdin`)',
        )
        .option('--with-token', 'read an API token from stdin and store it instead of a session')
        .action(act(async () => (await import('./commands/login.js')).login));
      sub(program, 'logout', 'end the session on the server and forget the stored credentials').action(
        act(async () => (await import('./commands/login.js')).logout),
      );
      sub(program, 'whoami', 'show the user, profile, base URL and the account commands act on').action(
        act(async () => (await import('./commands/whoami.js')).whoami),
      );
    },
  },
  {
    names: ['accounts', 'use'],
    register(program, { sub, act }) {
      sub(program, 'accounts', 'list the accounts you can act on; the current one is marked').action(
        act(async () => (await import('./commands/accounts.js')).listAccounts),
      );
      sub(program, 'use', 'pick the account every command acts on')
        .argument('<account>', 'account id or name (case-insensitive; a unique prefix is enough)')
        .action(act(async () => (await import('./commands/accounts.js')).useAccount));
    },
  },
  {
    names: ['numbers'],
    register(program, { sub, act }) {
      const numbers = sub(program, 'numbers', 'search, buy, list and release phone numbers');
      sub(numbers, 'search', 'search the inventory for numbers to buy')
        .option('--npa <code>', 'area code, e.g. 201')
        .option('--pattern <mask>', 'digits mask: "*233" ends with 233, "201%55" starts 201 and contains 55')
        .option('--state <st>', 'US state, e.g. NJ')
        .option('--city <name>', 'city')
        .option('--features <list>', 'voice,sms', parseFeatures)
        .option('-L, --limit <n>', 'how many results', parsePositiveInt, 20)
        .action(act(async () => (await import('./commands/numbers.js')).search));
      sub(numbers, 'buy', 'buy numbers (costs setup + monthly fees)')
        .argument('<tn...>', 'one or more numbers from `numbers search`')
        .option('--features <list>', 'voice,sms', parseFeatures, ['voice', 'sms'])
        .option('--no-autorenew', 'do not renew the lease each month')
        .option('-y, --yes', 'do not ask for confirmation')
        .option('--no-wait', 'return as soon as the order is accepted')
        .action(act(async () => (await import('./commands/numbers.js')).buy));
      sub(numbers, 'list', 'list the numbers of the account')
        .option('-L, --limit <n>', 'how many to show', parsePositiveInt, 50)
        .action(act(async () => (await import('./commands/numbers.js')).list));
      sub(numbers, 'release', 'release a number (it leaves the account)')
        .argument('<tn>', 'the number (E.164) or its lease id')
        .option('-y, --yes', 'do not ask for confirmation')
        .action(act(async () => (await import('./commands/numbers.js')).release));
    },
  },
  {
    names: ['sms'],
    register(program, { sub, act }) {
      const sms = sub(program, 'sms', 'send and list SMS');
      sub(sms, 'send', 'send an SMS')
        .requiredOption('--from <tn>', 'one of your SMS-enabled numbers', parsePhone)
        .requiredOption('--to <tn>', 'recipient', parsePhone)
        .requiredOption('-m, --message <text>', 'the text (1..918 characters); "-" reads it from stdin')
        .action(act(async () => (await import('./commands/sms.js')).send));
      sub(sms, 'bulk', 'send one SMS per row of a CSV file (columns: to, message, from)')
        .requiredOption('-f, --file <csv>', 'the CSV file; its first row names the columns')
        .option('--from <tn>', 'sender for rows without a from column', parsePhone)
        .option('--concurrency <n>', 'requests in flight at once (1..50)', parseConcurrency, 4)
        .option('--failures <csv>', 'where failed rows are written (default: <file>.failures.csv)')
        .action(act(async () => (await import('./commands/bulk.js')).sms));
      sub(sms, 'list', 'list SMS, newest first')
        .addOption(new Option('--direction <dir>', 'in or out').choices(['in', 'out']))
        .option('--to <tn>', 'only to this number', parsePhone)
        .option('--from <tn>', 'only from this number', parsePhone)
        .option('-L, --limit <n>', 'how many to show', parsePositiveInt, 20)
        .action(act(async () => (await import('./commands/sms.js')).list));
    },
  },
  {
    names: ['calls'],
    register(program, { sub, act }) {
      const calls = sub(program, 'calls', 'make, hang up, list and inspect calls');
      sub(calls, 'make', 'place an outbound call')
        .requiredOption('--from <tn>', 'one of your numbers', parsePhone)
        .requiredOption('--to <tn>', 'destination', parsePhone)
        .option('--flow <xml>', 'call flow XML, or @file to read it from a file')
        .option('--timeout <secs>', 'ring timeout in seconds', parsePositiveInt)
        .option('--talk-secs <secs>', 'demo server: how long the simulated callee talks', parseNonNegativeInt)
        .action(act(async () => (await import('./commands/calls.js')).make));
      sub(calls, 'bulk', 'place one call per row of a CSV file (columns: to, from, timeout_secs, talk_secs)')
        .requiredOption('-f, --file <csv>', 'the CSV file; its first row names the columns')
        .option('--from <tn>', 'caller for rows without a from column', parsePhone)
        .option('--concurrency <n>', 'requests in flight at once (1..50)', parseConcurrency, 4)
        .option('--failures <csv>', 'where failed rows are written (default: <file>.failures.csv)')
        .action(act(async () => (await import('./commands/bulk.js')).calls));
      sub(calls, 'hangup', 'hang up a live call')
        .argument('<call-id>', 'the call uuid')
        .action(act(async () => (await import('./commands/calls.js')).hangup));
      sub(calls, 'list', 'list calls, newest first')
        .addOption(new Option('--direction <dir>', 'in or out').choices(['in', 'out']))
        .option('-L, --limit <n>', 'how many to show', parsePositiveInt, 20)
        .action(act(async () => (await import('./commands/calls.js')).list));
      sub(calls, 'get', 'show one call')
        .argument('<call-id>', 'the call uuid')
        .action(act(async () => (await import('./commands/calls.js')).get));
    },
  },
  {
    names: ['reports'],
    register(program, { sub, act }) {
      const reports = sub(program, 'reports', 'reports');
      sub(
        reports,
        'call-data',
        'one record per finished call in a date window (account time zone, inclusive)',
      )
        .requiredOption('--start <date>', 'first day, YYYY-MM-DD', parseDate)
        .requiredOption('--end <date>', 'last day, YYYY-MM-DD', parseDate)
        .option('--csv', 'print CSV (for spreadsheets) instead of a table')
        .option('-o, --output <file>', 'write to a file instead of stdout')
        .action(act(async () => (await import('./commands/reports.js')).callData));
    },
  },
  {
    names: ['tokens'],
    register(program, { sub, act }) {
      const tokens = sub(program, 'tokens', 'long-lived API tokens (for CI: CALLWIRE_TOKEN)');
      sub(tokens, 'create', 'create a token; it is shown once')
        .requiredOption('-n, --name <name>', 'what the token is for')
        .option('--ttl <secs>', 'lifetime in seconds (>= 60)', parsePositiveInt, 90 * 24 * 3600)
        .action(act(async () => (await import('./commands/tokens.js')).create));
      sub(tokens, 'list', 'list tokens (never their values)').action(
        act(async () => (await import('./commands/tokens.js')).list),
      );
      sub(tokens, 'revoke', 'revoke a token')
        .argument('<token-id>', 'the token uuid')
        .action(act(async () => (await import('./commands/tokens.js')).revoke));
    },
  },
  {
    names: ['events'],
    register(program, { sub, act }) {
      const events = sub(program, 'events', 'live events');
      sub(events, 'tail', 'print live events, resuming after the last one seen')
        .option('-t, --types <patterns>', 'comma-separated types or patterns (call.*,sms.*)', parseEventTypes)
        .option(
          '--since-seq <seq>',
          'start at this seq (inclusive) instead of the saved position',
          parsePositiveInt,
        )
        .option(
          '--after-seq <seq>',
          'start after this seq instead of the saved position',
          parseNonNegativeInt,
        )
        .option('--from-now', 'ignore the saved position and print only new events')
        .option('-c, --count <n>', 'exit after this many events', parsePositiveInt)
        .action(act(async () => (await import('./commands/events.js')).tail));
      sub(events, 'forward', 'forward live events to a local URL, signed like real webhooks')
        .requiredOption(
          '--to <url>',
          'where to POST each event, e.g. http://localhost:3000/webhook',
          parseHttpUrl,
        )
        .option('-t, --types <patterns>', 'comma-separated types or patterns (call.*,sms.*)', parseEventTypes)
        .option(
          '--since-seq <seq>',
          'start at this seq (inclusive) instead of the saved position',
          parsePositiveInt,
        )
        .option(
          '--after-seq <seq>',
          'start after this seq instead of the saved position',
          parseNonNegativeInt,
        )
        .option('--from-now', 'ignore the saved position and forward only new events')
        .option('-c, --count <n>', 'exit after this many deliveries', parsePositiveInt)
        .option('--print-secret', 'print the signing secret and exit')
        .action(act(async () => (await import('./commands/forward.js')).forward));
    },
  },
];
