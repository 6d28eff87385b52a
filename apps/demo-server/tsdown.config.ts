import { cpSync, existsSync, rmSync } from 'node:fs';
import { defineConfig } from 'tsdown';

// The console web app (apps/console, built first: it is a devDependency, so turbo orders it)
// ships inside this package as dist/console, which the server serves at `/`. Without a console
// build the server still works and `/` says the console is missing.
const CONSOLE_BUILD = '../console/dist';
const CONSOLE_OUT = 'dist/console';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node24',
  dts: true,
  sourcemap: true,
  hooks: {
    'build:done': () => {
      rmSync(CONSOLE_OUT, { recursive: true, force: true });
      if (existsSync(`${CONSOLE_BUILD}/index.html`)) cpSync(CONSOLE_BUILD, CONSOLE_OUT, { recursive: true });
      else console.warn(`No console build in ${CONSOLE_BUILD}: the server will show a fallback page at /.`);
    },
  },
});
