import { defineProject } from 'vitest/config';

// Storage tests write thousands of events against real databases on a shared two-core machine:
// a timeout measures the machine's load, not the store, so they get room.
export default defineProject({
  test: { name: 'event-store', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
});
