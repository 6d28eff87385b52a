// A small JSON file that survives crashes: written whole to a temporary file, then renamed over the
// old one, so a reader sees the old content or the new one, never half of it. Mode 0600, as it may
// hold tokens. The session and cursor stores of the examples keep their state in one.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export function readJsonFile<T>(path: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
}

export function writeJsonFile(path: string, value: unknown): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
