// `pnpm release:check`: proves the packages work as users install them. Every publishable package is
// packed (`pnpm pack`), served by name from a local registry for the @callwire scope, and installed
// with npm into fresh projects in a temporary folder outside the workspace. Then: Node import and
// require, strict TypeScript under two resolutions, the browser apps' sizes against their budgets
// with three bundlers, `npx @callwire/demo-server`, a global `callwire`, a Node program end to end,
// `changeset version` on a scratch copy, and a release dry run that publishes nothing.
// `--keep` keeps the temporary folder (it is kept anyway when something fails).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSizes, measureBundles } from './bundle-check.ts';
import { checkChangesetVersion } from './changesets-check.ts';
import { checkCli, installCliGlobally } from './cli-check.ts';
import { startLocalRegistry } from './local-registry.ts';
import { checkNodeLoading } from './node-load-check.ts';
import { forgetNpxInstall } from './npx-cache.ts';
import { packPublishable, unpublishableRanges } from './pack.ts';
import { checkProgram } from './program-check.ts';
import { checkReleaseDryRun } from './release-dry-run-check.ts';
import { userEnv } from './run.ts';
import { createConsumerProject } from './scratch-project.ts';
import { checkDataDirectory, checkServerServes, serverSpec, startDemoServer } from './server-check.ts';
import { Steps } from './steps.ts';
import { checkTypes } from './types-check.ts';

const root = join(import.meta.dirname, '..', '..');
const temp = mkdtempSync(join(tmpdir(), 'callwire-release-check-'));
const steps = new Steps();
const env = userEnv(root);
console.log(`release:check in ${temp}`);

const tarballs = join(temp, 'tarballs');
mkdirSync(tarballs);
const packed =
  (await steps.run(
    'pack every publishable package',
    () => packPublishable(root, tarballs),
    (p) => p.map((x) => `${x.name}@${x.version}`),
  )) ?? [];
if (packed.length === 0) process.exit(finish());

await steps.run('dependencies of published packages are ranges', async () => {
  const problems = unpublishableRanges(packed);
  if (problems.length > 0) throw new Error(problems.join('\n'));
});

const libraries = packed.filter((p) => p.manifest.bin === undefined);
const server = packed.find((p) => p.name === '@callwire/demo-server');
const cli = packed.find((p) => p.name === '@callwire/cli');
const registry = await startLocalRegistry(packed);
// npx must install this run's tarball, not reuse what an earlier run left in its cache.
if (server !== undefined) await forgetNpxInstall(serverSpec(server), env);
const consumer = join(temp, 'consumer');
const globalPrefix = join(temp, 'global');
mkdirSync(globalPrefix);

// The installs wait on the network and the disk, not the processor: run them side by side.
const [installed, callwire, running] = await Promise.all([
  steps.run('npm install the libraries and build tools into a fresh project', () =>
    createConsumerProject(consumer, libraries, registry, env).then(() => true),
  ),
  cli === undefined
    ? Promise.resolve(undefined)
    : steps.run('npm install --global @callwire/cli', () =>
        installCliGlobally(globalPrefix, cli, registry, env),
      ),
  server === undefined
    ? Promise.resolve(undefined)
    : steps.run(
        'npx @callwire/demo-server --port 0 --memory starts in an empty folder',
        () => startDemoServer(join(temp, 'npx'), server, registry, env, ['--port', '0', '--memory']),
        (s) => [s.url],
      ),
]);

try {
  if (installed === true) {
    await steps.run(
      'Node: import from .mjs and require from CommonJS',
      () => checkNodeLoading(consumer, libraries, env),
      (l) => l,
    );
    await steps.run(
      'TypeScript strict, skipLibCheck false',
      () => checkTypes(consumer, env),
      (r) => r.map((name) => `moduleResolution ${name}: no errors`),
    );
    await steps.run('browser apps within their size budgets', async () => {
      const sizes = await measureBundles(consumer);
      const lines = formatSizes(sizes);
      console.log(lines.map((line) => `    ${line}`).join('\n'));
      const over = sizes.filter((s) => s.gzip > s.budget);
      if (over.length > 0) throw new Error(`${over.length} bundle(s) over budget (min+gzip)`);
    });
  } else steps.skip('Node, TypeScript and bundle checks', 'the project did not install');

  if (running !== undefined) {
    await steps.run(
      'the server serves its API, /docs and the console',
      () => checkServerServes(running.url),
      (l) => l,
    );
    if (installed === true) {
      await steps.run(
        'a program from the tarballs logs in, sends an SMS, receives its event',
        () => checkProgram(consumer, running.url, env).then((line) => [line]),
        (l) => l,
      );
    }
    if (callwire !== undefined) {
      await steps.run(
        'the global callwire logs in and sends an SMS',
        () => checkCli(callwire, running.url, join(temp, 'cli-config'), env).then((line) => [line]),
        (l) => l,
      );
    }
  } else steps.skip('server, program and CLI checks', 'the server did not start');
} finally {
  await running?.stop();
}

if (server !== undefined) {
  await steps.run(
    'the installed server keeps its data in the user data directory',
    () => checkDataDirectory(join(temp, 'npx'), server, registry, env).then((file) => [file]),
    (l) => l,
  );
}
await registry.close();
if (server !== undefined) await forgetNpxInstall(serverSpec(server), env);

await steps.run(
  'changeset version writes a CHANGELOG.md per published package',
  () => checkChangesetVersion(root, join(temp, 'changesets'), packed),
  (l) => l,
);

const empty = await startLocalRegistry([]);
try {
  await steps.run(
    'pnpm release:dry-run publishes nothing',
    () => checkReleaseDryRun(root, packed, empty).then((l) => [l]),
    (l) => l,
  );
} finally {
  await empty.close();
}

process.exit(finish());

function finish(): number {
  const ok = steps.failures.length === 0;
  if (ok && !process.argv.includes('--keep')) rmSync(temp, { recursive: true, force: true });
  else console.log(`\nThe scratch projects are kept in ${temp}`);
  console.log(
    ok
      ? `\nrelease:check passed in ${steps.elapsed()}`
      : `\nrelease:check failed in ${steps.elapsed()}: ${steps.failures.join('; ')}`,
  );
  return ok ? 0 : 1;
}
