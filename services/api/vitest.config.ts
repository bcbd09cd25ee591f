import { defineProject } from 'vitest/config';

// Each test file opens its own database (PGlite's initdb takes seconds on two cores): generous hook timeouts.
export default defineProject({
  test: { name: 'api', include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 120_000 },
});
