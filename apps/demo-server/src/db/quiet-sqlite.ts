import type * as NodeSqlite from 'node:sqlite';

/**
 * Loads `node:sqlite` without its one-time ExperimentalWarning (printed by some Node 24 releases).
 * Only that warning is dropped: every other warning, experimental or not, still goes through.
 */
let loaded: Promise<typeof NodeSqlite> | undefined;

export function loadSqlite(): Promise<typeof NodeSqlite> {
  loaded ??= (async () => {
    const original = process.emitWarning;
    const filtered = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
      const message = typeof warning === 'string' ? warning : warning.message;
      const type =
        typeof warning === 'string'
          ? typeof rest[0] === 'string'
            ? rest[0]
            : (rest[0] as { type?: string } | undefined)?.type
          : warning.name;
      if (type === 'ExperimentalWarning' && /sqlite/i.test(message)) return;
      return (original as (...args: unknown[]) => void).call(this, warning, ...rest);
    } as typeof process.emitWarning;
    process.emitWarning = filtered;
    try {
      return await import('node:sqlite');
    } finally {
      if (process.emitWarning === filtered) process.emitWarning = original;
    }
  })();
  return loaded;
}
