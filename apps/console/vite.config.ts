import { defineConfig } from 'vite';

// Preact through the automatic JSX runtime (Vite's built-in transform: no framework plugin needed).
// `base: './'` keeps asset URLs relative, so the build works wherever the server mounts it.
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2023',
    // Hashed names under assets/ are immutable; the server caches them for a year.
    assetsDir: 'assets',
    // No source maps: they would triple what the demo server ships, for a console people use, not debug.
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  server: {
    // `pnpm --filter @callwire/console dev` talks to a demo server on the default port.
    proxy: {
      '/rest': 'http://127.0.0.1:8787',
      '/ws': { target: 'ws://127.0.0.1:8787', ws: true },
    },
  },
});
