import { defineConfig, type TestProjectConfiguration } from 'vitest/config';

// In CI a JSON report is written as well, so .ci/run can print one closing summary line.
const ci = process.env.CI === 'true';

// The server suite runs on the embedded database always, and a second time on PostgreSQL when
// TEST_DATABASE_URL names one (the test helpers give each server its own schema there).
const postgresUrl = process.env.TEST_DATABASE_URL ?? '';
const serverSuite = (name: string, databaseUrl: string): TestProjectConfiguration => ({
  extends: './apps/demo-server/vitest.config.ts',
  root: './apps/demo-server',
  test: { name, env: { TEST_DATABASE_URL: databaseUrl } },
});

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/cli',
      'apps/console',
      'tests/*',
      'examples',
      'scripts/release-check',
      serverSuite('demo-server', ''),
      ...(postgresUrl === '' ? [] : [serverSuite('demo-server-pg', postgresUrl)]),
    ],
    reporters: ci ? ['default', 'json'] : ['default'],
    outputFile: ci ? { json: '.ci/reports/vitest.json' } : {},
  },
});
