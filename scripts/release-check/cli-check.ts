import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalRegistry } from './local-registry.ts';
import type { PackedPackage } from './pack.ts';
import { run } from './run.ts';
import { npmInstallFlags } from './scratch-project.ts';

/** `npm install --global @callwire/cli` into its own prefix; returns the path of `callwire`. */
export async function installCliGlobally(
  prefix: string,
  cli: PackedPackage,
  registry: LocalRegistry,
  env: Record<string, string>,
): Promise<string> {
  await run(
    'npm',
    ['install', '--global', '--prefix', prefix, ...npmInstallFlags(registry), `${cli.name}@${cli.version}`],
    { cwd: prefix, env, timeoutMs: 600_000 },
  );
  return join(prefix, 'bin', 'callwire');
}

/**
 * The installed `callwire` logs in to the server (password on stdin, as scripts do), lists the
 * account's numbers and sends an SMS from one of them. Its configuration goes to a folder of its own.
 */
export async function checkCli(
  callwire: string,
  serverUrl: string,
  configDir: string,
  env: Record<string, string>,
): Promise<string> {
  mkdirSync(configDir, { recursive: true });
  const cliEnv = { ...env, CALLWIRE_CONFIG_DIR: configDir, NO_COLOR: '1' };
  const callwireRun = (args: string[], input?: string) =>
    run(callwire, args, {
      cwd: configDir,
      env: cliEnv,
      timeoutMs: 60_000,
      ...(input === undefined ? {} : { input }),
    });
  await callwireRun(
    ['login', '--base-url', serverUrl, '--username', 'alice@example.com', '--password-stdin'],
    'alice-pass-1',
  );
  const numbers = JSON.parse((await callwireRun(['numbers', 'list', '--json'])).stdout) as { tn: string }[];
  const from = numbers[0]?.tn;
  if (from === undefined) throw new Error('callwire numbers list showed no number');
  const sent = await callwireRun([
    'sms',
    'send',
    '--from',
    from,
    '--to',
    '+12015550123',
    '--message',
    'hello',
    '--json',
  ]);
  const sms = JSON.parse(sent.stdout) as { uuid?: string };
  if (typeof sms.uuid !== 'string') throw new Error(`callwire sms send printed no SMS: ${sent.stdout}`);
  return `logged in as alice@example.com, sent SMS ${sms.uuid} from ${from}`;
}
