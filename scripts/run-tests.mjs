#!/usr/bin/env node
// Runs every suite (typecheck, lint, unit, integration, chaos) and ends with one plain summary line,
// "N passed, N failed", counting test cases from vitest's JSON reports plus one per static check.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync } from "node:fs";

mkdirSync("test-artifacts", { recursive: true });
const only = process.argv.slice(2);
const suites = [
  // The pinned pnpm installed the tree; the current pnpm release must install it too (newcomers have it).
  { name: "pnpm-current", cmd: ["bash", "scripts/check-current-pnpm.sh"] },
  { name: "typecheck", cmd: ["pnpm", "-s", "typecheck"] },
  { name: "lint", cmd: ["pnpm", "-s", "lint"] },
  { name: "unit", vitest: "vitest.unit.config.ts" },
  { name: "integration", vitest: "vitest.integration.config.ts" },
  { name: "chaos", vitest: "vitest.chaos.config.ts" },
  // The whole system once more, as a user runs it: `fixline demo` (replay agent unless claude is logged in).
  { name: "demo", cmd: ["pnpm", "-s", "fixline", "demo"] },
].filter((s) => only.length === 0 || only.includes(s.name));

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const suite of suites) {
  const started = Date.now();
  if (suite.vitest) {
    const report = `test-artifacts/${suite.name}-report.json`;
    const result = spawnSync(
      "pnpm",
      ["-s", "exec", "vitest", "run", "--config", suite.vitest, "--passWithNoTests", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
      { stdio: "inherit" },
    );
    let p = 0, f = 0, s = 0;
    if (existsSync(report)) {
      const json = JSON.parse(readFileSync(report, "utf8"));
      p = json.numPassedTests ?? 0;
      f = (json.numFailedTests ?? 0) + (json.testResults ?? []).filter((r) => r.status === "failed" && (r.assertionResults ?? []).length === 0).length;
      s = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    }
    if (result.status !== 0 && f === 0) f = 1; // the runner itself failed (setup error, crash)
    passed += p; failed += f; skipped += s;
    lines.push(`${suite.name}: ${p} passed, ${f} failed, ${s} skipped (${Math.round((Date.now() - started) / 1000)} s)`);
  } else {
    const result = spawnSync(suite.cmd[0], suite.cmd.slice(1), { stdio: "inherit" });
    if (result.status === 0) passed++; else failed++;
    lines.push(`${suite.name}: ${result.status === 0 ? "ok" : "FAILED"} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
}
console.log("\n" + lines.join("\n"));
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
