/**
 * Sandbox start overhead per command (issue 14), side by side in one run: the same trivial command (`true`)
 * as a bare spawn, through runCommand unsandboxed (FIXLINE_SANDBOX=off: the watchdog only) and through
 * runCommand sandboxed (watchdog + cgroup + bubblewrap, as every setup, hook and test command now runs).
 * Rounds interleave the three, so load on the shared machine hits them alike.
 *
 *   pnpm exec tsx bench/sandbox-overhead.ts [rounds=40]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import type { SandboxConfig } from "@fixline/core";
import { runCommand } from "@fixline/environments";
import { detectLimitLayout } from "@fixline/sandbox";
import { fmt, percentile } from "./lib/stats";

const rounds = Math.max(5, Number(process.argv[2] ?? 40));
const on: SandboxConfig = { mode: "on", memoryMb: 4096, maxProcesses: 1024, extraWritable: [] };
const off: SandboxConfig = { ...on, mode: "off" };
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/tmp" };

const root = await mkdtemp(join(tmpdir(), "fixline-bench-sandbox-"));
await execa("git", ["init", "-q", root]);
const timed = async (run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};
const viaRunner = (sandbox: SandboxConfig) => async () => {
  const outcome = await runCommand({ command: "true", cwd: root, env, timeoutMs: 30_000, onLine: () => undefined, sandbox: { phase: "test", settings: sandbox } });
  if (outcome.exitCode !== 0) throw new Error(`exit ${outcome.exitCode}`);
};
const samples = { bare: [] as number[], unsandboxed: [] as number[], sandboxed: [] as number[] };
try {
  // Warm-up: the first bwrap start also proves the sandbox works (ensureSandboxAvailable).
  await viaRunner(on)();
  await viaRunner(off)();
  for (let i = 0; i < rounds; i++) {
    samples.bare.push(await timed(() => execa("sh", ["-c", "true"], { env, extendEnv: false })));
    samples.unsandboxed.push(await timed(viaRunner(off)));
    samples.sandboxed.push(await timed(viaRunner(on)));
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

const row = (name: string, values: number[]) => `| ${name} | ${fmt(percentile(values, 0.5))} | ${fmt(percentile(values, 0.95))} |`;
const overhead = (p: number) => percentile(samples.sandboxed, p) - percentile(samples.unsandboxed, p);
process.stdout.write(
  [
    `${rounds} rounds of \`true\`, interleaved; limits by ${detectLimitLayout().mechanism}.`,
    "",
    "| command start | p50 ms | p95 ms |",
    "|---|---|---|",
    row("bare spawn (`sh -c true`)", samples.bare),
    row("runCommand, FIXLINE_SANDBOX=off (watchdog)", samples.unsandboxed),
    row("runCommand, sandboxed (watchdog + cgroup + bwrap)", samples.sandboxed),
    "",
    `Sandbox overhead per command: p50 ${fmt(overhead(0.5))} ms, p95 ${fmt(overhead(0.95))} ms over the unsandboxed runner.`,
    "",
  ].join("\n"),
);
