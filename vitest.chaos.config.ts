import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["chaos/**/*.test.ts"],
    globalSetup: ["shared/testing/src/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: "forks",
  },
});
