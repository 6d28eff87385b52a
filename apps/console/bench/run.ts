// `pnpm bench` (turbo builds the console first): the console's JavaScript size and its time to
// first render in headless Chromium, each against a baseline measured in the same run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { firstRender, serve } from './render.ts';
import { consoleJs, sdkOnlyJs } from './size.ts';
import { printRow, summarize } from './stats.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

if (!existsSync(join(DIST, 'index.html'))) {
  process.stderr.write('No console build: run `pnpm --filter @callwire/console build` first.\n');
  process.exit(1);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
process.stdout.write('\nconsole: JavaScript size (minified; gzip -9)\n');
const sdk = await sdkOnlyJs(ROOT);
const app = consoleJs(DIST);
printRow('SDK only (baseline: session auth, REST, realtime)', kib(sdk.gzip), 1, `${kib(sdk.min)} min`);
printRow('console, all JavaScript', kib(app.gzip), app.gzip / sdk.gzip, `${kib(app.min)} min`);
printRow('console UI on top of the SDK', kib(app.gzip - sdk.gzip), undefined, 'gzip difference');

const executablePath = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
  encoding: 'utf8',
}).trim();
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
const { url, server } = await serve(DIST);
try {
  // One warm-up of each, then interleaved rounds so machine load hits both alike.
  await firstRender(browser, `${url}/baseline.html`);
  await firstRender(browser, `${url}/`);
  const baseline: number[] = [];
  const consoleRuns: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const b = await firstRender(browser, `${url}/baseline.html`);
    const c = await firstRender(browser, `${url}/`);
    baseline.push(b);
    consoleRuns.push(c);
    ratios.push(c / b);
  }
  const b = summarize(baseline);
  const c = summarize(consoleRuns);
  const r = summarize(ratios);
  const ms = (s: typeof b) =>
    `median, p25-p75 ${s.p25.toFixed(0)}-${s.p75.toFixed(0)} ms, min-max ${s.min.toFixed(0)}-${s.max.toFixed(0)} ms`;
  process.stdout.write(
    `\nconsole: first contentful paint on loopback, cold cache (${ROUNDS} interleaved rounds)\n`,
  );
  printRow('baseline page (one module writes the heading)', `${b.median.toFixed(0)} ms`, 1, ms(b));
  printRow('console sign-in screen', `${c.median.toFixed(0)} ms`, c.median / b.median, ms(c));
  printRow(
    '  per-round ratio console / baseline',
    r.median.toFixed(2),
    undefined,
    `p25-p75 ${r.p25.toFixed(2)}-${r.p75.toFixed(2)}`,
  );
} finally {
  await browser.close();
  server.close();
}
