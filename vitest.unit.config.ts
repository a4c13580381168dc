import { defineConfig } from "vitest/config";

// Unit tests sit next to the code (src/**/*.test.ts) and need no infrastructure.
export default defineConfig({
  test: {
    include: ["{shared,services,agents}/*/src/**/*.test.ts"],
    testTimeout: 10_000,
  },
});
