/**
 * Test economy (issue 19): how many full-suite equivalents of test time one task costs, cold (the base run
 * is this task's to make) and with a cached base (another task on the same base made it), beside the count
 * the executor made before (5: base, red, green and two flake reruns, each the whole suite).
 *
 * A sample is generated: 20 node:test files of 10 tests, each test sleeping 100 ms (~200 tests, ~20 s), run
 * by `npm test` (`node --test --test-reporter=tap`). Each task replays the executor's test runs with its own
 * pieces, for real: the shared base run in Postgres (findBaseRun / recordBaseRun), red on the new test file
 * (runTests with the red phase's target), verifyRed, the fix, the whole green run, verifyGreen, and the
 * flake reruns on rerunTargets. Full-suite equivalents = the task's test time / the whole suite's time
 * (the cold base run, measured in the same run); the agent's time is not part of it.
 *
 *   pnpm exec tsx bench/test-economy.ts   (markdown on stdout, progress on stderr)
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { createRedactor, silentLogger } from "@fixline/core";
import { findBaseRun, recordBaseRun } from "@fixline/db";
import { runTests, type TestRunResult } from "@fixline/environments";
import { qualifiedTestName, rerunTargets, verifyGreen, verifyRed } from "@fixline/executor-agent";
import { createTestDatabase } from "@fixline/testing";
import { fmt, goal } from "./lib/stats";

process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
const log = (line: string) => process.stderr.write(`${line}\n`);
const files = 20;
const testsPerFile = 10;
const sleepMs = 100;
const flakeReruns = 3;
const command = "npm test";

const buggy = `export const formatPrice = (cents) => \`$\${Math.floor(cents / 100)}.\${cents % 100}\`;\n`;
const fixed = `export const formatPrice = (cents) => \`$\${Math.floor(cents / 100)}.\${String(cents % 100).padStart(2, "0")}\`;\n`;
const redTest = `import { test } from "node:test";
import assert from "node:assert/strict";
import { formatPrice } from "../src/price.js";

test("pads single-digit cents", () => {
  assert.equal(formatPrice(105), "$1.05");
});
`;

async function generateSample(dir: string): Promise<string> {
  await mkdir(join(dir, "src"), { recursive: true });
  await mkdir(join(dir, "test"), { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "economy-sample", type: "module", private: true, scripts: { test: "node --test --test-reporter=tap" } }, null, 2));
  await writeFile(join(dir, "src", "price.js"), buggy);
  for (let f = 0; f < files; f++) {
    const tests = Array.from({ length: testsPerFile }, (_, t) => `test("module ${f} case ${t}", async () => {\n  await sleep(${sleepMs});\n  assert.equal(formatPrice(${1000 + t * 10}).startsWith("$"), true);\n});`).join("\n\n");
    await writeFile(join(dir, "test", `module-${String(f).padStart(2, "0")}.test.js`), `import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { setTimeout as sleep } from "node:timers/promises";\nimport { formatPrice } from "../src/price.js";\n\n${tests}\n`);
  }
  const git = (args: string[]) => execa("git", args, { cwd: dir });
  await git(["init", "-q", "--initial-branch=main"]);
  await git(["add", "-A"]);
  await git(["-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "sample"]);
  return (await git(["rev-parse", "HEAD"])).stdout.trim();
}

const database = await createTestDatabase();
const root = await mkdtemp(join(tmpdir(), "fixline-bench-economy-"));
const packageScripts = { test: "node --test --test-reporter=tap" };

async function run(worktree: string, target?: Parameters<typeof runTests>[1]["target"]): Promise<TestRunResult> {
  const result = await runTests(command, { worktree, taskId: "bench", redis: undefined, logger: silentLogger(), redactor: createRedactor([]), env: {}, timeoutMs: 300_000, pathEnv: process.env.PATH, homeDir: process.env.HOME, ...(target ? { target: { ...target, packageScripts } } : {}) });
  return { ...result, tests: result.tests.map((t) => ({ ...t, name: qualifiedTestName(t) })) };
}

interface TaskCost {
  runs: Array<{ phase: string; ms: number; targeted: string }>;
  totalMs: number;
}

/** One task's test runs, the way the executor makes them. */
async function task(name: string, baseCommit: string): Promise<TaskCost> {
  const worktree = join(root, name);
  await execa("git", ["clone", "-q", join(root, "sample"), worktree]);
  const runs: TaskCost["runs"] = [];
  const key = { repo: "bench/economy", baseCommit, environmentHash: "bench", testCommand: command };
  let base = (await findBaseRun<TestRunResult>(database.db, key))?.run;
  if (base) runs.push({ phase: "base", ms: 0, targeted: "reused" });
  else {
    const whole = await run(worktree);
    await recordBaseRun(database.db, key, whole as unknown as Record<string, unknown>, undefined);
    base = whole;
    runs.push({ phase: "base", ms: whole.durationMs, targeted: "whole suite" });
  }
  await writeFile(join(worktree, "test", "price.test.js"), redTest);
  const red = await run(worktree, { files: ["test/price.test.js"] });
  runs.push({ phase: "red", ms: red.durationMs, targeted: red.targeted ? `targeted: ${red.targeted}` : "whole suite" });
  const redVerdict = verifyRed({ base: { ...base, output: "" }, red, testFilesChanged: ["test/price.test.js"] });
  if (!redVerdict.ok) throw new Error(`red not proven: ${redVerdict.reasons.join("; ")}`);
  await writeFile(join(worktree, "src", "price.js"), fixed);
  const green = await run(worktree);
  runs.push({ phase: "green", ms: green.durationMs, targeted: "whole suite" });
  const greenVerdict = verifyGreen({ base: { ...base, output: "" }, green, redTests: redVerdict.failingNewTests, modifiedRedTestFiles: [], allowsTestChanges: false });
  if (!greenVerdict.ok) throw new Error(`green not reached: ${greenVerdict.reasons.join("; ")}`);
  const targets = rerunTargets(base, green, redVerdict.failingNewTests);
  for (let i = 1; i < flakeReruns; i++) {
    const rerun = targets.length > 0 ? await run(worktree, { tests: targets.map((t) => t.target) }) : await run(worktree);
    if (!rerun.passed || !targets.every((t) => rerun.tests.some((r) => r.name === t.qualified && r.status === "passed"))) throw new Error("targeted rerun did not pass every targeted test");
    runs.push({ phase: `rerun ${i}`, ms: rerun.durationMs, targeted: rerun.targeted ? `targeted: ${rerun.targeted}` : "whole suite" });
  }
  return { runs, totalMs: runs.reduce((sum, r) => sum + r.ms, 0) };
}

try {
  const baseCommit = await generateSample(join(root, "sample"));
  log(`sample: ${files * testsPerFile} tests in ${files} files; cold task…`);
  const cold = await task("cold", baseCommit);
  const suiteMs = cold.runs[0]!.ms;
  log(`whole suite ${fmt(suiteMs / 1000)} s; cached task…`);
  const cached = await task("cached", baseCommit);
  const equivalents = (cost: TaskCost) => cost.totalMs / suiteMs;
  const lines = [
    `Sample: ${files * testsPerFile + 1} node:test tests in ${files + 1} files (\`${command}\`), whole suite ${fmt(suiteMs / 1000)} s; flakeReruns ${flakeReruns}. Red and green verified as the executor does (verifyRed, verifyGreen).`,
    "",
    "| Task | Runs (scope, seconds) | Test time | Full-suite equivalents | Before (5 whole runs) | Goal |",
    "|---|---|---|---|---|---|",
    ...(
      [
        ["cold base", cold, 2.5],
        ["cached base", cached, 1.5],
      ] as const
    ).map(([label, cost, target]) => {
      const runs = cost.runs.map((r) => `${r.phase}: ${r.targeted} ${fmt(r.ms / 1000)}`).join("; ");
      return `| ${label} | ${runs} | ${fmt(cost.totalMs / 1000)} s | **${fmt(equivalents(cost), 2)}** | 5 (≈ ${fmt((5 * suiteMs) / 1000)} s: 5 × the whole suite) | ${goal(`≤ ${target}`, equivalents(cost) <= target)} |`;
    }),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await database.destroy();
  await rm(root, { recursive: true, force: true });
}
