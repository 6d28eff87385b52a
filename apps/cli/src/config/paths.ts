import { join } from 'node:path';
import envPaths from 'env-paths';
import type { Env } from '../io.js';

export interface ConfigPaths {
  dir: string;
  config: string;
  credentials: string;
  state: string;
  forwardSecrets: string;
}

/**
 * The config folder: CALLWIRE_CONFIG_DIR, else the platform's config dir via env-paths with an empty
 * suffix (env-paths appends `-nodejs` otherwise), so it is `~/.config/callwire` on Linux.
 * XDG_CONFIG_HOME from the injected env is honoured too, so in-process runs never touch the real home.
 */
export function resolveConfigPaths(env: Env): ConfigPaths {
  const dir = env.CALLWIRE_CONFIG_DIR || defaultConfigDir(env);
  return {
    dir,
    config: join(dir, 'config.json'),
    credentials: join(dir, 'credentials.json'),
    state: join(dir, 'state.json'),
    forwardSecrets: join(dir, 'forward-secrets.json'),
  };
}

function defaultConfigDir(env: Env): string {
  if (process.platform !== 'win32' && process.platform !== 'darwin' && env.XDG_CONFIG_HOME) {
    return join(env.XDG_CONFIG_HOME, 'callwire');
  }
  return envPaths('callwire', { suffix: '' }).config;
}
