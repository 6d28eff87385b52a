import { SHELLS } from './completion/scripts.js';
import {
  parseEventTypes,
  parseHttpUrl,
  parseNonNegativeInt,
  parsePhone,
  parsePositiveInt,
} from './parse-args.js';
import type { CommandGroup } from './program.js';
import { TRIGGER_TYPES } from './triggers.js';

/**
 * The commands for building against the platform rather than running it: simulated inbound
 * traffic, triggered events, webhook subscriptions, profiles and shell completion.
 */
export const TOOL_COMMANDS: readonly CommandGroup[] = [
  {
    names: ['simulate'],
    register(program, { sub, act }) {
      const simulate = sub(
        program,
        'simulate',
        'simulate inbound traffic to your numbers (demo server, admin access)',
      );
      sub(simulate, 'inbound-call', 'someone calls one of your numbers')
        .requiredOption('--to <tn>', 'your number that is called', parsePhone)
        .option('--from <tn>', 'the caller (default +12125550100)', parsePhone)
        .option('--talk-secs <secs>', 'how long the caller talks once answered', parseNonNegativeInt)
        .action(act(async () => (await import('./commands/simulate.js')).inboundCall));
      sub(simulate, 'inbound-sms', 'someone texts one of your numbers')
        .requiredOption('--to <tn>', 'your number that receives it', parsePhone)
        .option('--from <tn>', 'the sender (default +12125550100)', parsePhone)
        .option('-m, --message <text>', 'the text', 'Test message from callwire simulate')
        .action(act(async () => (await import('./commands/simulate.js')).inboundSms));
    },
  },
  {
    names: ['trigger'],
    register(program, { sub, act }) {
      sub(
        program,
        'trigger',
        'make the platform record a real event of a type (sends an SMS, places a call, …)',
      )
        .argument('<event-type>', `one of: ${TRIGGER_TYPES.join(', ')}`)
        .action(act(async () => (await import('./commands/trigger.js')).trigger));
    },
  },
  {
    names: ['webhooks'],
    register(program, { sub, act }) {
      const webhooks = sub(program, 'webhooks', 'signed webhook subscriptions and their deliveries');
      sub(webhooks, 'create', 'send events to a URL, signed; the signing secret is shown once')
        .requiredOption('--url <url>', 'where to POST each event', parseHttpUrl)
        .option('-t, --types <patterns>', 'comma-separated types or patterns (default *)', parseEventTypes)
        .action(act(async () => (await import('./commands/webhooks.js')).create));
      sub(webhooks, 'list', 'list webhook subscriptions')
        .option('-L, --limit <n>', 'how many to show', parsePositiveInt, 50)
        .action(act(async () => (await import('./commands/webhooks.js')).list));
      sub(webhooks, 'delete', 'delete a webhook subscription (its pending deliveries are dropped)')
        .argument('<id>', 'the subscription uuid')
        .action(act(async () => (await import('./commands/webhooks.js')).remove));
      sub(webhooks, 'deliveries', "a webhook's deliveries, newest first, with the receiver's answers")
        .argument('<id>', 'the subscription uuid')
        .option('-L, --limit <n>', 'how many to show', parsePositiveInt, 20)
        .action(act(async () => (await import('./commands/webhooks.js')).deliveries));
      sub(webhooks, 'test', 'trigger an event the webhook subscribes to and wait for its delivery')
        .argument('<id>', 'the subscription uuid')
        .option('--type <event-type>', 'the event to trigger (default: one the webhook subscribes to)')
        .option('--timeout <secs>', 'how long to wait for the delivery', parsePositiveInt, 15)
        .action(act(async () => (await import('./commands/webhooks.js')).test));
    },
  },
  {
    names: ['profiles'],
    register(program, { sub, act }) {
      const profiles = sub(program, 'profiles', 'the profiles stored on this machine (one per login)');
      sub(profiles, 'list', 'list profiles; the one commands use is marked').action(
        act(async () => (await import('./commands/profiles.js')).list),
      );
      sub(profiles, 'remove', 'forget a profile and its credentials (its session is ended on the server)')
        .argument('<name>', 'the profile name')
        .action(act(async () => (await import('./commands/profiles.js')).remove));
    },
  },
  {
    names: ['completion'],
    register(program, { sub, act }) {
      sub(program, 'completion', 'print the shell completion script (see the README to install it)')
        .addArgument(program.createArgument('<shell>', 'bash, zsh or fish').choices(SHELLS))
        .action(act(async () => (await import('./completion/completion-command.js')).printScript));
    },
  },
];
