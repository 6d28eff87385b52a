import { readConfig } from './config/config-file.js';
import { type ConfigPaths, resolveConfigPaths } from './config/paths.js';
import { type GlobalFlags, resolveSettings, type Settings, validateBaseUrl } from './config/settings.js';
import { UsageError } from './errors.js';
import type { RunIO } from './io.js';
import { Output } from './output/output.js';

export interface GlobalOptions extends GlobalFlags {
  json?: boolean;
  debug?: boolean;
  color?: boolean;
}

/** What every command receives: the streams, the resolved settings and the output helpers. */
export interface Context {
  io: RunIO;
  output: Output;
  paths: ConfigPaths;
  settings: Settings;
  options: GlobalOptions;
  /** Secrets this run has seen, so error and debug output can redact them by value. */
  secrets: Set<string>;
  /** Whether prompts are allowed: stdin and stderr are terminals and CI is not set. */
  interactive: boolean;
}

export function createOutput(io: RunIO, options: GlobalOptions): Output {
  // --no-color is the same as NO_COLOR for this run.
  const env = options.color === false ? { ...io.env, NO_COLOR: '1' } : io.env;
  return new Output(io.stdout, io.stderr, options.json === true, env);
}

export async function createContext(io: RunIO, options: GlobalOptions, output: Output): Promise<Context> {
  const paths = resolveConfigPaths(io.env);
  const config = await readConfig(paths.config);
  const settings = resolveSettings(options, io.env, config);
  const problem = validateBaseUrl(settings.baseUrl);
  if (problem) throw new UsageError(problem, 'Pass --base-url http://host:port or set CALLWIRE_BASE_URL.');
  const secrets = new Set<string>();
  if (settings.envToken) secrets.add(settings.envToken);
  const ci = io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false';
  const interactive = io.stdin.isTTY === true && io.stderr.isTTY === true && !ci;
  return { io, output, paths, settings, options, secrets, interactive };
}
