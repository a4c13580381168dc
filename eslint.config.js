// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", ".data/**", "test-artifacts/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // Packages talk through their front door (src/index.ts), never deep imports.
      "no-restricted-imports": ["error", { patterns: [{ group: ["@fixline/*/src/*", "@fixline/*/*"], message: "Import the package's front door (@fixline/<pkg>), not its files." }] }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Only loadConfig() reads process.env; pass config in." }],
    },
  },
  {
    // The edges that are allowed to read the environment: config loading, the CLI entry, tests, benchmarks and scripts.
    files: ["shared/core/src/config/**", "services/cli/src/**", "**/test/**", "**/*.test.ts", "bench/**", "scripts/**", "shared/testing/**", "chaos/**", "e2e/**", "*.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
);
