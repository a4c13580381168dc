/**
 * Environment setup, cold vs warm dependency cache, measured side by side in one run: the Node sample
 * (real dependencies from the npm registry, committed package-lock.json) is set up in fresh worktrees with an
 * empty cache dir (cold: npm ci downloads everything), then again with that cache (warm: node_modules restored).
 *
 *   pnpm exec tsx bench/environment-setup.ts [rounds=3]
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { createRedactor, pickNetworkEnv, silentLogger, type EffectiveRepoSettings } from "@fixline/core";
import { resolveEnvironment, runSetup } from "@fixline/environments";

const rounds = Math.max(1, Number(process.argv[2] ?? 3));
const fixture = join(import.meta.dirname, "..", "shared", "environments", "test", "fixtures", "node-sample");
const settings: EffectiveRepoSettings = { scopePolicy: "warn", dryRun: false, budgets: { perTaskUsd: 5, perRepoPerDayUsd: 50 } };
const logger = silentLogger();

async function worktree(root: string, name: string): Promise<string> {
  const dir = join(root, name);
  await cp(fixture, dir, { recursive: true });
  await execa("git", ["init", "-q"], { cwd: dir });
  return dir;
}

async function setupOnce(root: string, name: string, cacheDir: string): Promise<{ ms: number; hit: boolean }> {
  const dir = await worktree(root, name);
  const env = await resolveEnvironment({ worktree: dir, repo: "bench/node-sample", settings });
  const result = await runSetup(env, { worktree: dir, taskId: name, repo: "bench/node-sample", redis: undefined, logger, redactor: createRedactor([]), cacheDir, pathEnv: process.env.PATH, homeDir: process.env.HOME, networkEnv: pickNetworkEnv(process.env) });
  await rm(dir, { recursive: true, force: true });
  return { ms: result.durationMs, hit: result.cacheHit };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const root = await mkdtemp(join(tmpdir(), "fixline-bench-env-"));
try {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // A fresh cache dir per round: the cold run really downloads, the warm run right after reuses it.
    const cacheDir = join(root, `cache-${round}`);
    const first = await setupOnce(root, `cold-${round}`, cacheDir);
    const second = await setupOnce(root, `warm-${round}`, cacheDir);
    if (first.hit || !second.hit) throw new Error(`unexpected cache outcome: cold hit=${first.hit}, warm hit=${second.hit}`);
    cold.push(first.ms);
    warm.push(second.ms);
    console.log(`round ${round + 1}: cold ${first.ms.toFixed(0)} ms, warm ${second.ms.toFixed(0)} ms`);
  }
  const c = median(cold);
  const w = median(warm);
  console.log("");
  console.log("| setup of the node sample (npm ci, 2 real registry packages) | median of " + rounds + " |");
  console.log("|---|---|");
  console.log(`| cold cache (npm ci downloads) | ${c.toFixed(0)} ms |`);
  console.log(`| warm cache (node_modules restored, npm ci skipped) | ${w.toFixed(0)} ms |`);
  console.log(`| cold / warm | ${(c / Math.max(w, 1)).toFixed(1)}x |`);
} finally {
  await rm(root, { recursive: true, force: true });
}
