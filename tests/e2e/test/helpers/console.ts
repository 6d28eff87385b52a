import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { ensureBuilt } from './browser.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const CONSOLE = join(REPO, 'apps', 'console');
export const CONSOLE_DIST = join(CONSOLE, 'dist');
/** Screenshots of every step, for people to look at after a run (git-ignored). */
export const ARTIFACTS = join(REPO, 'tests', 'e2e', 'artifacts', 'console');

function newest(paths: string[]): number {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isFile()) latest = Math.max(latest, stat.mtimeMs);
    else
      for (const entry of readdirSync(path, { recursive: true, withFileTypes: true }))
        if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/**
 * The console's production build (what the server ships), rebuilt when it is missing or older
 * than its sources, so the tests never run a stale console.
 */
export function ensureConsoleBuilt(): string {
  ensureBuilt(['types', 'auth-core', 'rest-client', 'realtime-client']);
  const built = join(CONSOLE_DIST, 'index.html');
  const sources = newest([
    join(CONSOLE, 'src'),
    join(CONSOLE, 'index.html'),
    join(CONSOLE, 'vite.config.ts'),
  ]);
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    execFileSync('pnpm', ['--filter', '@callwire/console', 'build'], { cwd: REPO, stdio: 'ignore' });
  }
  return CONSOLE_DIST;
}

let step = 0;

/** Starts a fresh set of screenshots (the previous run's are removed). */
export function resetArtifacts(): void {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  step = 0;
}

/** Saves a full-page screenshot as `NN-name.png` under the artifacts folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  step += 1;
  await page.screenshot({
    path: join(ARTIFACTS, `${String(step).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. The script is evaluated
 * through the DevTools protocol, so the page's Content-Security-Policy stays in force.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Axe = {
      run(
        context: Document,
        options: object,
      ): Promise<{
        violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
      }>;
    };
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
  });
}

/** The text a screen reader reads as the control's description (its hint and error). */
export function descriptionOf(control: Locator): Promise<string> {
  return control.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/** Polls `read` until `accept` holds (Playwright's own waits cover elements, not arbitrary values). */
export async function until<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeout = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens a screen from the navigation. */
export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
}

/** Presses Tab until `target` has the focus, as a keyboard user would reach it. */
export async function tabTo(page: Page, target: Locator, maxPresses = 40): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${String(target)} was not reached with ${maxPresses} presses of Tab`);
}
