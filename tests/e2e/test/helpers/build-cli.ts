import { buildCli } from './cli-process.js';

/**
 * Vitest global setup: builds the `callwire` bundle once before any test file runs, so the files
 * that spawn the built bin never race each other rebuilding it (turbo skips it when nothing changed).
 */
export default async function setup(): Promise<void> {
  await buildCli();
}
