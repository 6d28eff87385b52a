import { defineConfig } from 'tsdown';
import { lazyChildProcess } from './build/lazy-child-process.ts';

export default defineConfig({
  // bin: the `callwire` executable; index: the in-process `run()` for tests and embedders (ES modules
  // import it by name as usual). Commands are dynamic imports, so they become chunks loaded only
  // when that command runs.
  entry: { bin: 'src/bin.ts', index: 'src/index.ts' },
  // CommonJS: an ES module's `import … from 'node:fs'` (or node:util, node:process) makes Node build
  // a module facade that reads every export, which loads the lazy parts of those modules
  // (fs/promises, readline, worker_threads, process.report, …); `require` does not. That alone is
  // several milliseconds of every start.
  format: 'cjs',
  platform: 'node',
  target: 'node24',
  // The CLI ships as one self-contained bundle (the SDK, zod, ky and commander included): resolving
  // and loading a few large files instead of hundreds of small ones is a large part of why an API
  // command starts fast. Nothing is installed at run time.
  noExternal: [/.*/],
  // .cjs, since the package is "type": "module".
  fixedExtension: true,
  dts: true,
  sourcemap: true,
  plugins: [lazyChildProcess()],
});
