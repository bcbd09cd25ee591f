import { defineProject } from 'vitest/config';

// Command tests open real databases (PGlite's initdb takes seconds on two cores).
export default defineProject({
  test: { name: 'application', include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 120_000 },
});
