import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackedPackage } from './pack.ts';
import { run } from './run.ts';

/**
 * Each library loads in plain Node from the consumer project: an `.mjs` script `import`s it and a
 * CommonJS script `require()`s it (Node's require of ES modules), and both see the same exports.
 * Returns one line per package and module system.
 */
export async function checkNodeLoading(
  dir: string,
  libraries: readonly PackedPackage[],
  env: Record<string, string>,
): Promise<string[]> {
  const names = JSON.stringify(libraries.map((p) => p.name));
  const report = `(name, mod) => {
  const keys = Object.keys(mod).filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports');
  if (keys.length === 0) throw new Error(name + ' has no exports');
  return name + ': ' + keys.length + ' exports';
}`;
  writeFileSync(
    join(dir, 'load-esm.mjs'),
    `const report = ${report};\nfor (const name of ${names}) console.log('import  ' + report(name, await import(name)));\n`,
  );
  writeFileSync(
    join(dir, 'load-cjs.cjs'),
    `'use strict';\nconst report = ${report};\nfor (const name of ${names}) console.log('require ' + report(name, require(name)));\n`,
  );
  const esm = await run(process.execPath, ['load-esm.mjs'], { cwd: dir, env });
  const cjs = await run(process.execPath, ['load-cjs.cjs'], { cwd: dir, env });
  if (cjs.stderr.includes('ExperimentalWarning')) {
    throw new Error(`require() of the packages printed a warning users would see:\n${cjs.stderr}`);
  }
  const imported = esm.stdout.trim().split('\n');
  const required = cjs.stdout.trim().split('\n');
  // Lines are "import  <name>: n exports" and "require <name>: n exports": equal after the verb.
  imported.forEach((line, i) => {
    if (line.slice(8) !== required[i]?.slice(8)) {
      throw new Error(`import and require disagree: "${line}" vs "${required[i] ?? 'nothing'}"`);
    }
  });
  return [...imported, ...required];
}
