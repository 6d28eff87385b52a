import { defineConfig } from 'tsdown';

export default defineConfig({
  // index: the in-process `run()` for tests and embedders; bin: the `callwire` executable.
  // Commands are dynamic imports, so they become chunks loaded only when that command runs.
  entry: ['src/bin.ts', 'src/index.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node24',
  // The CLI ships as one self-contained bundle (the SDK, zod, ky and commander included): resolving
  // and loading a few large files instead of hundreds of small ones is a large part of why an API
  // command starts fast. Nothing is installed at run time.
  noExternal: [/.*/],
  // package.json says dist/bin.js; platform node would otherwise pick .mjs.
  fixedExtension: false,
  dts: true,
  sourcemap: true,
});
