import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: { name: 'realtime-client', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
