import { defineProject } from 'vitest/config';

// Tests start workers as processes against real databases and kill them.
export default defineProject({
  test: { name: 'worker', include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
