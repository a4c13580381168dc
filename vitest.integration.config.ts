import { defineConfig } from "vitest/config";

// Integration tests (test/**/*.test.ts) run against real Postgres, Redis and git. The global setup
// checks both are reachable and says exactly what to start when they are not.
export default defineConfig({
  test: {
    include: ["{shared,services,agents}/*/test/**/*.test.ts", "e2e/**/*.test.ts"],
    globalSetup: ["shared/testing/src/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: a little parallelism helps, more makes timing-sensitive tests flaky.
    maxWorkers: 2,
    pool: "forks",
  },
});
