import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.ts';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'e2e',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The CLI suites run the built bin: build it once, before any of them starts.
    globalSetup: ['test/helpers/build-cli.ts'],
  },
});
