import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

interface WebpackStats {
  hasErrors(): boolean;
  toString(options: string): string;
}
type Webpack = (config: object, callback: (error: Error | null, stats?: WebpackStats) => void) => void;
interface TypeScript {
  transpileModule(source: string, options: object): { outputText: string };
  ModuleKind: { ESNext: number };
  ScriptTarget: { ES2022: number };
}

/**
 * webpack 5 in production mode (its own minifier), as a Next.js or plain webpack user gets it. webpack
 * reads no TypeScript by itself; users add a loader that runs the compiler, so the app goes through
 * TypeScript's transpiler first, with the compiler installed in the project.
 */
export async function bundleWithWebpack(projectDir: string, entry: string): Promise<string> {
  const require = createRequire(join(projectDir, 'package.json'));
  const webpack = require('webpack') as Webpack;
  const ts = require('typescript') as TypeScript;
  const work = mkdtempSync(join(projectDir, '.webpack-'));
  try {
    const js = join(work, basename(entry).replace(/\.ts$/, '.js'));
    const { outputText } = ts.transpileModule(readFileSync(entry, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(js, outputText);
    const config = {
      mode: 'production',
      context: projectDir,
      entry: js,
      target: ['web', 'es2022'],
      devtool: false,
      experiments: { outputModule: true },
      // A library output keeps the app's exports, as an app's entry code is kept.
      output: { path: work, filename: 'bundle.js', library: { type: 'module' } },
      infrastructureLogging: { level: 'error' },
    };
    await new Promise<void>((resolve, reject) => {
      webpack(config, (error, stats) => {
        if (error) reject(error);
        else if (stats?.hasErrors()) reject(new Error(stats.toString('errors-only')));
        else resolve();
      });
    });
    return readFileSync(join(work, 'bundle.js'), 'utf8');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
