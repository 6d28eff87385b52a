import { defineConfig } from 'vite';

// `pnpm --filter @callwire/examples browser` serves browser/ on http://localhost:5173.
export default defineConfig({
  root: 'browser',
  server: { port: 5173 },
});
