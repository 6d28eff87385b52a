import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.ts';

// The console's pure logic (report totals, CSV). The screens are tested in the browser, against
// the real server, by tests/e2e/test/console.test.ts.
export default defineProject({
  ...sourceConditions,
  test: { name: 'console', include: ['src/**/*.test.ts'] },
});
