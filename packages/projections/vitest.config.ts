import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'projections', include: ['test/**/*.test.ts'] } });
