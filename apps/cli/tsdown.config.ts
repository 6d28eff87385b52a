import { defineConfig, type UserConfig } from 'tsdown';
import { lazyChildProcess } from './build/lazy-child-process.ts';

const shared = {
  platform: 'node',
  target: 'node24',
  // The CLI ships as one self-contained bundle (the SDK, zod, ky and commander included): resolving
  // and loading a few large files instead of hundreds of small ones is a large part of why an API
  // command starts fast. Nothing is installed at run time.
  noExternal: [/.*/],
  sourcemap: true,
} satisfies UserConfig;

export default defineConfig([
  // index: the in-process `run()` for tests and embedders, as ESM with its types.
  {
    ...shared,
    entry: ['src/index.ts'],
    format: 'esm',
    // package.json says dist/index.js; platform node would otherwise pick .mjs.
    fixedExtension: false,
    dts: true,
  },
  // bin: the `callwire` executable, as CommonJS. An ESM `import … from 'node:fs'` (or node:util,
  // node:process) makes Node build a module facade that reads every export, which loads the lazy
  // parts of those modules (fs/promises, readline, worker_threads, process.report, …); `require`
  // does not. That alone is several milliseconds of every start. Commands are still dynamic
  // imports, so they become chunks loaded only when that command runs.
  {
    ...shared,
    entry: { bin: 'src/bin.ts' },
    format: 'cjs',
    fixedExtension: true,
    dts: false,
    // The first build cleaned dist/; this one adds to it.
    clean: false,
    plugins: [lazyChildProcess()],
  },
]);
