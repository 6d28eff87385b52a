import { defineConfig } from 'vitest/config';

// In CI a JSON report is written as well, so .ci/run can print one closing summary line.
const ci = process.env.CI === 'true';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tests/*'],
    reporters: ci ? ['default', 'json'] : ['default'],
    outputFile: ci ? { json: '.ci/reports/vitest.json' } : {},
  },
});
