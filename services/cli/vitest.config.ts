import { defineProject } from 'vitest/config';

// Each test starts the CLI as a process; opening PGlite takes seconds on two cores.
export default defineProject({ test: { name: 'cli', include: ['test/**/*.test.ts'], testTimeout: 60_000 } });
