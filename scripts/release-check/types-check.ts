import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.ts';

/** The module resolutions a TypeScript user picks: Node's own, and a bundler's. */
const RESOLUTIONS = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;

/**
 * A strict TypeScript program (the Node program and the two browser apps) type-checks against the
 * installed packages under each resolution, with `skipLibCheck: false` so the published declaration
 * files are checked too. Returns the resolutions that passed.
 */
export async function checkTypes(dir: string, env: Record<string, string>): Promise<string[]> {
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  // The two programs are independent: check them side by side.
  const checks = Object.entries(RESOLUTIONS).map(async ([name, resolution]) => {
    const config = {
      compilerOptions: {
        ...resolution,
        target: 'es2022',
        lib: ['es2023', 'dom', 'dom.iterable'],
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      },
      include: ['program.ts', 'apps/*.ts'],
    };
    const file = `tsconfig.${name}.json`;
    writeFileSync(join(dir, file), `${JSON.stringify(config, null, 2)}\n`);
    await run(process.execPath, [tsc, '-p', file], { cwd: dir, env });
    return name;
  });
  return Promise.all(checks);
}
