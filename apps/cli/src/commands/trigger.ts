import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { actingAccount } from '../session.js';
import { trigger as perform, TRIGGER_TYPES } from '../triggers.js';

/** `callwire trigger <event type>`: makes the platform record a real event of that type. */
export async function trigger(ctx: Context, _opts: unknown, args: string[]): Promise<void> {
  const type = args[0] ?? '';
  if (!TRIGGER_TYPES.includes(type)) {
    throw new UsageError(
      `"${type}" is not an event type that can be triggered.`,
      `These can: ${TRIGGER_TYPES.join(', ')}.`,
    );
  }
  const { api } = await actingAccount(ctx);
  const done = await perform(api, type, await api.listNumbers(100));
  ctx.output.result(done, () => '');
  const family = type.split('.')[0];
  ctx.output.success(
    `Triggered ${type}: ${done.description} (${done.resource.kind} ${done.resource.uuid}); watch with \`callwire events tail --types '${family}.*'\``,
  );
}
