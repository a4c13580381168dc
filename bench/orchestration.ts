/**
 * Orchestration benchmark: what Fixline itself costs around an agent that takes no time.
 *
 * Every role is a separate `fixline start --role <role>` process (webhook, planner, N executors, each with
 * concurrency 1), against Postgres, Redis, a fake GitHub and Slack, a local bare remote of the shop sample
 * and a fake Claude whose runs are instant file writes. A wrapper records when each Claude run and each test
 * run starts and ends, so their time can be subtracted; task transitions come from task_events (Postgres
 * clock, same machine).
 *
 *  1. enqueue -> job pickup and enqueue -> Claude spawn, p50/p95, for planning (from the ingest transaction)
 *     and execution (from the approval transition), next to a bare BullMQ add -> worker round trip.
 *  2. orchestration overhead per task: webhook -> draft PR, approval -> ready PR, minus the fake CLI's and
 *     the test suite's own recorded time.
 *  3. execution throughput (tasks per minute) with 1, 2 and 4 executor processes.
 *  4. peak RSS (VmHWM) of each role process.
 *
 * Usage: tsx bench/orchestration.ts [--tasks 8] [--batch 6]   (markdown on stdout, progress on stderr)
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { bareBullmqRoundTrips } from "./lib/bare-bullmq";
import { startCluster, type Cluster, type TaskEventTime, type TimedRun } from "./lib/fixline-cluster";
import { fmt, goal, mean, percentile } from "./lib/stats";

process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
const redisUrl = process.env.REDIS_URL;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface TaskTiming {
  taskId: string;
  issueSentAt: number;
  approveSentAt: number;
}

interface TaskMeasures {
  planPickup: number;
  planSpawn: number;
  execPickup: number;
  execSpawn: number;
  execSpawnWithoutTests: number;
  planWall: number;
  planClaude: number;
  execWall: number;
  execClaude: number;
  execTests: number;
}

function eventAt(events: TaskEventTime[], from: string | null, to: string): number {
  const event = events.find((e) => e.from === from && e.to === to);
  if (!event) throw new Error(`no ${from ?? "(new)"} -> ${to} event`);
  return event.at;
}

const duration = (runs: TimedRun[]) => runs.reduce((sum, r) => sum + (r.endMs - r.startMs), 0);
/** Time covered by runs inside [from, to], clipped to the window. */
const within = (runs: TimedRun[], from: number, to: number) => runs.reduce((sum, r) => sum + Math.max(0, Math.min(r.endMs, to) - Math.max(r.startMs, from)), 0);

async function measure(cluster: Cluster, timing: TaskTiming): Promise<TaskMeasures> {
  const events = await cluster.events(timing.taskId);
  const claude = (await cluster.claudeRuns()).filter((r) => r.taskId === timing.taskId);
  const tests = (await cluster.testRuns()).filter((r) => r.taskId === timing.taskId);
  const received = eventAt(events, null, "received");
  const planning = eventAt(events, "received", "planning");
  const planned = eventAt(events, "planning", "awaiting_approval");
  const approved = eventAt(events, "awaiting_approval", "approved");
  const executing = eventAt(events, "approved", "executing");
  const completed = eventAt(events, "executing", "completed");
  const planRuns = claude.filter((r) => r.processName === "planner");
  const execRuns = claude.filter((r) => r.processName?.startsWith("executor"));
  const firstPlan = planRuns[0];
  const firstExec = execRuns[0];
  if (!firstPlan || !firstExec) throw new Error(`task ${timing.taskId}: missing Claude runs`);
  return {
    planPickup: planning - received,
    planSpawn: firstPlan.startMs - received,
    execPickup: executing - approved,
    execSpawn: firstExec.startMs - approved,
    execSpawnWithoutTests: firstExec.startMs - approved - within(tests, approved, firstExec.startMs),
    planWall: planned - timing.issueSentAt,
    planClaude: duration(planRuns),
    execWall: completed - timing.approveSentAt,
    execClaude: duration(execRuns),
    execTests: duration(tests),
  };
}

async function fullTask(cluster: Cluster, title: string): Promise<TaskTiming> {
  const issue = await cluster.openIssue(title);
  const planned = await cluster.waitForState(issue.taskId, ["awaiting_approval", "failed"]);
  if (planned.state !== "awaiting_approval") throw new Error(`planning failed: ${planned.errorCode} ${planned.errorMessage}`);
  const approval = await cluster.approve(issue.taskId);
  const done = await cluster.waitForState(issue.taskId, ["completed", "failed"]);
  if (done.state !== "completed") throw new Error(`execution failed: ${done.errorCode} ${done.errorMessage}`);
  const pr = cluster.github.state.pulls.find((p) => p.repo === cluster.repo && p.number === done.prNumber);
  if (!pr || pr.draft) throw new Error(`task ${issue.taskId}: the PR is not ready for review`);
  return { taskId: issue.taskId, issueSentAt: issue.sentAt, approveSentAt: approval.sentAt };
}

/** Plans `count` tasks, then approves them all at once and measures how fast the executors clear them. */
async function throughput(cluster: Cluster, executors: number, count: number): Promise<{ spanMs: number; perMinute: number }> {
  const issues = [];
  for (let i = 0; i < count; i++) issues.push(await cluster.openIssue(`Cart total crashes (throughput ${executors}x, ${i + 1})`));
  for (const issue of issues) {
    const planned = await cluster.waitForState(issue.taskId, ["awaiting_approval", "failed"], 120_000);
    if (planned.state !== "awaiting_approval") throw new Error(`planning failed: ${planned.errorCode} ${planned.errorMessage}`);
  }
  const approvals = [];
  for (const issue of issues) approvals.push(await cluster.approve(issue.taskId));
  const start = Math.min(...approvals.map((a) => a.sentAt));
  let end = 0;
  for (const issue of issues) {
    const done = await cluster.waitForState(issue.taskId, ["completed", "failed"], 180_000);
    if (done.state !== "completed") throw new Error(`execution failed: ${done.errorCode} ${done.errorMessage}`);
    end = Math.max(end, eventAt(await cluster.events(issue.taskId), "executing", "completed"));
  }
  const spanMs = end - start;
  return { spanMs, perMinute: (count / spanMs) * 60_000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tasks: { type: "string", default: "8" }, batch: { type: "string", default: "6" } } });
  const sequentialTasks = Number(values.tasks);
  const batch = Number(values.batch);
  const started = Date.now();

  log("bare BullMQ round trips...");
  const bare = await bareBullmqRoundTrips(redisUrl, 200);

  log("starting the cluster (webhook, planner, executor-1)...");
  const cluster = await startCluster({ roles: ["webhook", "planner", "executor"], progress: log });
  const stopOnSignal = () => void cluster.stop().finally(() => process.exit(130));
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  const rss = new Map<string, { role: string; kib: number }>();
  const sampleRss = () => {
    for (const p of cluster.peakRss()) if (Number.isFinite(p.kib)) rss.set(p.name, { role: p.role, kib: Math.max(p.kib, rss.get(p.name)?.kib ?? 0) });
  };
  let measures: TaskMeasures[] = [];
  const rates: Array<{ executors: number; spanMs: number; perMinute: number }> = [];
  try {
    log("warm-up task (not reported)...");
    await fullTask(cluster, "Cart total crashes (warm-up)");

    for (let i = 0; i < sequentialTasks; i++) {
      const timing = await fullTask(cluster, `Cart total crashes (${i + 1})`);
      measures.push(await measure(cluster, timing));
      log(`  task ${i + 1}/${sequentialTasks}: plan spawn ${fmt(measures.at(-1)!.planSpawn, 0)} ms, exec spawn ${fmt(measures.at(-1)!.execSpawn, 0)} ms`);
    }

    for (const executors of [1, 2, 4]) {
      while (cluster.roles.filter((r) => r.role === "executor").length < executors) await cluster.startRole("executor");
      log(`throughput with ${executors} executor process(es), ${batch} tasks...`);
      const rate = await throughput(cluster, executors, batch);
      rates.push({ executors, ...rate });
      log(`  ${fmt(rate.perMinute)} tasks/min`);
    }
    sampleRss();
  } finally {
    sampleRss();
    await cluster.stop();
  }
  measures = measures.filter(Boolean);

  // ------------------------------------------------------------------ report
  const col = (pick: (m: TaskMeasures) => number) => measures.map(pick);
  const p50 = (xs: number[]) => percentile(xs, 0.5);
  const p95 = (xs: number[]) => percentile(xs, 0.95);
  const bareP50 = p50(bare);
  const out: string[] = [];
  out.push(`Every role is its own \`fixline start --role\` process (webhook, planner, executors with EXECUTOR_CONCURRENCY=1), Postgres and Redis local, fake GitHub/Slack, the shop sample (test command \`node --test\`, wrapped to record its time), a fake Claude whose runs are instant file writes. ${sequentialTasks} tasks one at a time after a warm-up; p95 of ${sequentialTasks} samples is their second-largest or largest value. ${cpus().length} cores, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(" ")} (other work shares this machine). Took ${Math.round((Date.now() - started) / 1000)} s.`);
  out.push("");
  out.push("### Enqueue to Claude spawn");
  out.push("");
  out.push("Enqueue = the transaction that writes the outbox row (the ingest for planning, the approval transition for execution); pickup = the worker's `-> planning` / `-> executing` transition; spawn = the Claude wrapper's first instruction.");
  out.push("");
  out.push("| path | p50 ms | p95 ms | p50 / bare BullMQ p50 | goal |");
  out.push("|---|---:|---:|---:|---|");
  out.push(`| bare BullMQ add -> worker receives (baseline, ${bare.length} round trips) | ${fmt(bareP50)} | ${fmt(p95(bare))} | 1.0 | |`);
  const row = (name: string, xs: number[], goalText = "") => out.push(`| ${name} | ${fmt(p50(xs))} | ${fmt(p95(xs))} | ${fmt(p50(xs) / bareP50)} | ${goalText} |`);
  const planPickup = col((m) => m.planPickup);
  const execPickup = col((m) => m.execPickup);
  row("planning: outbox -> job picked up (relay + BullMQ)", planPickup, goal("p95 < 100 ms", p95(planPickup) < 100));
  row("execution: outbox -> job picked up (relay + BullMQ)", execPickup, goal("p95 < 100 ms", p95(execPickup) < 100));
  const planSpawn = col((m) => m.planSpawn);
  const execSpawn = col((m) => m.execSpawn);
  const execSpawnNoTests = col((m) => m.execSpawnWithoutTests);
  row("planning: outbox -> Claude spawned (incl. worktree, skills, context)", planSpawn, goal("p95 < 100 ms", p95(planSpawn) < 100));
  row("execution: outbox -> Claude spawned (incl. worktree, environment, base test run)", execSpawn, goal("p95 < 100 ms", p95(execSpawn) < 100));
  row("execution: same, minus the base test run's own time", execSpawnNoTests, goal("p95 < 100 ms", p95(execSpawnNoTests) < 100));
  out.push(`| seed design: relay polling every 5 s (computed: uniform wait) | 2500.0 | 4750.0 | ${fmt(2500 / bareP50)} | |`);
  out.push("");
  out.push("### Orchestration overhead per task (instant agent)");
  out.push("");
  out.push("Wall = from sending the webhook to the `-> awaiting_approval` transition (draft PR with PLAN.md open), and from sending the `@agent approve` comment to `-> completed` (PR ready for review). Overhead = wall minus the fake CLI's recorded run time minus the test suite's recorded run time.");
  out.push("");
  out.push("| stage | wall p50 ms | fake CLI mean ms | test suite mean ms | overhead p50 ms | overhead p95 ms | goal |");
  out.push("|---|---:|---:|---:|---:|---:|---|");
  const planOverhead = col((m) => m.planWall - m.planClaude);
  const execOverhead = col((m) => m.execWall - m.execClaude - m.execTests);
  out.push(`| webhook -> draft PR | ${fmt(p50(col((m) => m.planWall)))} | ${fmt(mean(col((m) => m.planClaude)))} | 0.0 | ${fmt(p50(planOverhead))} | ${fmt(p95(planOverhead))} | ${goal("< 2000 ms", p95(planOverhead) < 2000)} |`);
  out.push(`| approval -> ready PR | ${fmt(p50(col((m) => m.execWall)))} | ${fmt(mean(col((m) => m.execClaude)))} | ${fmt(mean(col((m) => m.execTests)))} | ${fmt(p50(execOverhead))} | ${fmt(p95(execOverhead))} | ${goal("< 2000 ms", p95(execOverhead) < 2000)} |`);
  out.push("");
  out.push("### Execution throughput by executor processes");
  out.push("");
  out.push(`${batch} planned tasks approved at once; span = first approval sent -> last \`-> completed\`. Each executor is a separate process with concurrency 1; the test suite runs red, base and green on every task (flakeReruns 1).`);
  out.push("");
  out.push("| executor processes | tasks | span s | tasks / min | ratio to 1 executor |");
  out.push("|---:|---:|---:|---:|---:|");
  const one = rates.find((r) => r.executors === 1)?.perMinute ?? Number.NaN;
  for (const r of rates) out.push(`| ${r.executors} | ${batch} | ${fmt(r.spanMs / 1000)} | ${fmt(r.perMinute)} | ${fmt(r.perMinute / one, 2)} |`);
  out.push("");
  out.push("### Peak RSS per role process (VmHWM)");
  out.push("");
  out.push("| process | role | peak RSS MiB |");
  out.push("|---|---|---:|");
  for (const [name, { role, kib }] of rss) out.push(`| ${name} | ${role} | ${fmt(kib / 1024)} |`);
  process.stdout.write(`${out.join("\n")}\n`);
}

await main();
