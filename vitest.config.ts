import { defineConfig } from 'vitest/config';

// Tests open real sockets and start real processes; keep parallelism modest on 2-core machines
// and give process-driven tests room (these are limits, never assertions on speed).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // A registry cache of the run's own, and at the end: stops a Docker daemon the real-engine tests
    // started (and only that one).
    globalSetup: ['test/helpers/private-cache.ts', 'test/helpers/docker-teardown.ts'],
  },
});
