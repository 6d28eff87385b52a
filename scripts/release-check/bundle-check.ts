import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BrowserApp, BUNDLE_BUDGETS } from './budgets.ts';
import { bundleWithWebpack } from './webpack-bundle.ts';

/** One browser app bundled by one bundler, minified, for the browser, as an ES module. */
export interface BundleSize {
  app: BrowserApp;
  bundler: string;
  /** Bytes of minified output. */
  min: number;
  /** Bytes of minified output after gzip -9. */
  gzip: number;
  budget: number;
}

type Bundle = (projectDir: string, entry: string) => Promise<string>;

// The few members used here; the bundlers live in the consumer project, not in the workspace.
interface Esbuild {
  build(options: object): Promise<{ outputFiles: { text: string }[] }>;
}
interface Rolldown {
  rolldown(options: object): Promise<{
    generate(options: object): Promise<{ output: ({ type: 'chunk'; code: string } | { type: 'asset' })[] }>;
    close(): Promise<void>;
  }>;
}

/** The bundlers are loaded from the consumer project, the versions a user there would get. */
function loader(projectDir: string) {
  const require = createRequire(join(projectDir, 'package.json'));
  return async <T>(name: string): Promise<T> =>
    (await import(pathToFileURL(require.resolve(name)).href)) as T;
}

const esbuild: Bundle = async (projectDir, entry) => {
  const { build } = await loader(projectDir)<Esbuild>('esbuild');
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: projectDir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
};

const rolldown: Bundle = async (projectDir, entry) => {
  const { rolldown: bundle } = await loader(projectDir)<Rolldown>('rolldown');
  const build = await bundle({ input: entry, cwd: projectDir, platform: 'browser', logLevel: 'silent' });
  try {
    const { output } = await build.generate({ format: 'esm', minify: true });
    return output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('');
  } finally {
    await build.close();
  }
};

const BUNDLERS: Record<string, Bundle> = { esbuild, rolldown, webpack: bundleWithWebpack };

/** Bundles every browser app with every bundler and measures it; the caller compares with the budgets. */
export async function measureBundles(projectDir: string): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const app of Object.keys(BUNDLE_BUDGETS) as BrowserApp[]) {
    for (const [bundler, bundle] of Object.entries(BUNDLERS)) {
      const code = await bundle(projectDir, join(projectDir, 'apps', `${app}.ts`));
      const bytes = Buffer.from(code);
      sizes.push({
        app,
        bundler,
        min: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        budget: BUNDLE_BUDGETS[app],
      });
    }
  }
  return sizes;
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** A table of the sizes, one line per app and bundler, with the verdict against the budget. */
export function formatSizes(sizes: readonly BundleSize[]): string[] {
  return sizes.map(
    (s) =>
      `${s.app.padEnd(17)} ${s.bundler.padEnd(8)} min ${kB(s.min).padStart(9)}  min+gzip ${kB(s.gzip).padStart(8)}  budget ${kB(s.budget)}  ${s.gzip <= s.budget ? 'ok' : 'OVER'}`,
  );
}
