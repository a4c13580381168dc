/**
 * Load run: many tasks through a whole Fixline with an instant agent, with 1, 2 and 4 executor processes.
 *
 * The same cluster as bench/orchestration.ts (every role its own `fixline start --role` process, real Postgres
 * and Redis, fake GitHub/Slack, the shop sample, a fake Claude whose runs are instant file writes). For each
 * executor count, N fresh issues are opened and planned, then all N are approved back to back and the
 * executors clear the backlog. Per run:
 *
 *  - queue lag: the `awaiting_approval -> approved` transition (the transaction that writes the execution
 *    job's outbox row) to the worker's `approved -> executing` transition, both from task_events (Postgres
 *    clock); p50 and p95 over the N tasks. With a backlog this is mostly waiting behind other tasks, which is
 *    what more executors should shorten.
 *  - throughput: N / (first approval sent -> last `-> completed`).
 *  - Postgres bytes per task: sum of pg_total_relation_size over the database's tables after the run minus
 *    before, / N (the cluster's database is fresh and Fixline's alone).
 *  - Redis bytes per live task: the cluster's own Redis database index, summed with MEMORY USAGE, sampled
 *    right after the last approval (most of the N tasks queued or running) minus after planning, / the tasks
 *    live at that moment; and what stays per finished task (completed jobs kept by BullMQ, live-output
 *    streams kept for replay). INFO used_memory is shown too, but it is the whole server's, which other
 *    engineers share here: read the MEMORY USAGE figures.
 *
 * Every figure is printed beside the 1-executor run's as a ratio; absolute numbers are noise on a shared machine.
 *
 * Usage: tsx bench/load.ts [--tasks 1000] [--executors 1,2,4]   (markdown on stdout, progress on stderr)
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { startCluster, type Cluster } from "./lib/fixline-cluster";
import { fmt, percentile } from "./lib/stats";

process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Snapshot {
  pgBytes: number;
  pgTables: Map<string, number>;
  redisKeyBytes: number;
  /** MEMORY USAGE by kind of key: ids and job numbers replaced, so `task:<id>:output` sums every task's stream. */
  redisByKind: Map<string, { keys: number; bytes: number }>;
  redisKeys: number;
  redisUsedMemory: number;
}

interface RunResult {
  executors: number;
  tasks: number;
  failed: number;
  planLagP95: number;
  lagP50: number;
  lagP95: number;
  spanMs: number;
  perMinute: number;
  pgBytesPerTask: number;
  pgTopTables: Array<{ table: string; bytesPerTask: number }>;
  liveAtPeak: number;
  redisBytesPerLiveTask: number;
  redisUsedMemoryPerLiveTask: number;
  redisBytesPerFinishedTask: number;
  redisKindsPerFinishedTask: Array<{ kind: string; keysPerTask: number; bytesPerTask: number }>;
}

/** `task:6f0c…:output` -> `task:<id>:output`, `fixline:notify:ob-17` -> `fixline:notify:<job>`. */
function keyKind(key: string): string {
  return key
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/:(ob-)?\d+(?=:|$)/g, ":<job>")
    .replace(/#\d+$/, "#<n>");
}

async function snapshot(pgClient: pg.Client, redis: Redis): Promise<Snapshot> {
  const { rows } = await pgClient.query<{ relname: string; bytes: string }>(
    "SELECT c.relname, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'",
  );
  const pgTables = new Map(rows.map((r) => [r.relname, Number(r.bytes)]));
  const redisByKind = new Map<string, { keys: number; bytes: number }>();
  let redisKeyBytes = 0;
  let redisKeys = 0;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "COUNT", 1000);
    cursor = next;
    if (keys.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory("USAGE", key, "SAMPLES", 0);
    const sizes = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const [error, bytes] = sizes[i] ?? [new Error("no answer"), 0];
      if (error) return;
      redisKeyBytes += Number(bytes ?? 0);
      const kind = redisByKind.get(keyKind(key)) ?? { keys: 0, bytes: 0 };
      redisByKind.set(keyKind(key), { keys: kind.keys + 1, bytes: kind.bytes + Number(bytes ?? 0) });
    });
    redisKeys += keys.length;
  } while (cursor !== "0");
  const info = await redis.info("memory");
  const redisUsedMemory = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
  return { pgBytes: [...pgTables.values()].reduce((a, b) => a + b, 0), pgTables, redisKeyBytes, redisByKind, redisKeys, redisUsedMemory };
}

/** Counts the given tasks by state, in one query. */
async function stateCounts(pgClient: pg.Client, ids: string[]): Promise<Map<string, number>> {
  const { rows } = await pgClient.query<{ state: string; n: string }>("SELECT state, count(*) AS n FROM tasks WHERE id = ANY($1) GROUP BY state", [ids]);
  return new Map(rows.map((r) => [r.state, Number(r.n)]));
}

/**
 * Waits until every task is in one of `done`. Gives up only when none has got there for `stallMs`: on a
 * shared machine a run's length says nothing, a backlog that stops moving does.
 */
async function waitForStates(pgClient: pg.Client, ids: string[], done: readonly string[], what: string, stallMs: number): Promise<Map<string, number>> {
  let lastFinished = -1;
  let lastProgress = Date.now();
  let lastReport = 0;
  for (;;) {
    const counts = await stateCounts(pgClient, ids);
    const finished = done.reduce((sum, s) => sum + (counts.get(s) ?? 0), 0);
    if (finished === ids.length) return counts;
    if (finished !== lastFinished) [lastFinished, lastProgress] = [finished, Date.now()];
    if (Date.now() - lastReport > 30_000) {
      log(`  ${what}: ${finished}/${ids.length} (${[...counts].map(([s, n]) => `${s} ${n}`).join(", ")})`);
      lastReport = Date.now();
    }
    if (Date.now() - lastProgress > stallMs) throw new Error(`no progress for ${stallMs} ms: ${what} ${finished}/${ids.length}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** First time each task made each transition, from task_events (Postgres clock). */
async function transitions(pgClient: pg.Client, ids: string[]): Promise<Map<string, Map<string, number>>> {
  const { rows } = await pgClient.query<{ task_id: string; from_state: string | null; to_state: string; at: Date }>(
    "SELECT task_id, from_state, to_state, min(created_at) AS at FROM task_events WHERE task_id = ANY($1) GROUP BY task_id, from_state, to_state",
    [ids],
  );
  const byTask = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const map = byTask.get(r.task_id) ?? new Map<string, number>();
    map.set(`${r.from_state ?? "new"}>${r.to_state}`, new Date(r.at).getTime());
    byTask.set(r.task_id, map);
  }
  return byTask;
}

async function loadRun(cluster: Cluster, pgClient: pg.Client, redis: Redis, executors: number, count: number): Promise<RunResult> {
  const before = await snapshot(pgClient, redis);
  log(`opening ${count} issues...`);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await cluster.openIssue(`Cart total crashes (load ${executors}x, ${i + 1})`)).taskId);
  const planned = await waitForStates(pgClient, ids, ["awaiting_approval", "failed"], "planned", 180_000);
  const planFailed = planned.get("failed") ?? 0;
  const afterPlanning = await snapshot(pgClient, redis);

  log(`approving ${count} tasks with ${executors} executor process(es)...`);
  const approvable = [];
  for (const id of ids) if ((await stateCounts(pgClient, [id])).has("awaiting_approval")) approvable.push(id);
  let firstApprovalSent = Number.NaN;
  for (const id of approvable) {
    const approval = await cluster.approve(id);
    if (Number.isNaN(firstApprovalSent)) firstApprovalSent = approval.sentAt;
  }
  const peakCounts = await stateCounts(pgClient, approvable);
  const peak = await snapshot(pgClient, redis);
  const liveAtPeak = (peakCounts.get("approved") ?? 0) + (peakCounts.get("executing") ?? 0);
  log(`  after the last approval: ${[...peakCounts].map(([s, n]) => `${s} ${n}`).join(", ")}`);

  const finished = await waitForStates(pgClient, approvable, ["completed", "failed"], "executed", 180_000);
  const after = await snapshot(pgClient, redis);

  const events = await transitions(pgClient, ids);
  const lags: number[] = [];
  const planLags: number[] = [];
  let lastCompleted = 0;
  for (const id of ids) {
    const e = events.get(id);
    const received = e?.get("new>received");
    const planning = e?.get("received>planning");
    if (received !== undefined && planning !== undefined) planLags.push(planning - received);
    const approved = e?.get("awaiting_approval>approved");
    const executing = e?.get("approved>executing");
    if (approved !== undefined && executing !== undefined) lags.push(executing - approved);
    const completed = e?.get("executing>completed");
    if (completed !== undefined) lastCompleted = Math.max(lastCompleted, completed);
  }
  const spanMs = lastCompleted - firstApprovalSent;
  const completedCount = finished.get("completed") ?? 0;
  const pgTopTables = [...after.pgTables]
    .map(([table, bytes]) => ({ table, bytesPerTask: (bytes - (before.pgTables.get(table) ?? 0)) / count }))
    .filter((t) => t.bytesPerTask > 0)
    .sort((a, b) => b.bytesPerTask - a.bytesPerTask);
  return {
    executors,
    tasks: count,
    failed: planFailed + (finished.get("failed") ?? 0),
    planLagP95: percentile(planLags, 0.95),
    lagP50: percentile(lags, 0.5),
    lagP95: percentile(lags, 0.95),
    spanMs,
    perMinute: (completedCount / spanMs) * 60_000,
    pgBytesPerTask: (after.pgBytes - before.pgBytes) / count,
    pgTopTables,
    liveAtPeak,
    redisBytesPerLiveTask: liveAtPeak > 0 ? (peak.redisKeyBytes - afterPlanning.redisKeyBytes) / liveAtPeak : Number.NaN,
    redisUsedMemoryPerLiveTask: liveAtPeak > 0 ? (peak.redisUsedMemory - afterPlanning.redisUsedMemory) / liveAtPeak : Number.NaN,
    redisBytesPerFinishedTask: (after.redisKeyBytes - before.redisKeyBytes) / count,
    redisKindsPerFinishedTask: [...after.redisByKind]
      .map(([kind, { keys, bytes }]) => ({ kind, keysPerTask: (keys - (before.redisByKind.get(kind)?.keys ?? 0)) / count, bytesPerTask: (bytes - (before.redisByKind.get(kind)?.bytes ?? 0)) / count }))
      .filter((k) => k.bytesPerTask > 0)
      .sort((a, b) => b.bytesPerTask - a.bytesPerTask),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tasks: { type: "string", default: "1000" }, executors: { type: "string", default: "1,2,4" } } });
  const count = Number(values.tasks);
  const executorCounts = values.executors.split(",").map(Number);
  if (!Number.isInteger(count) || count < 1 || executorCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("usage: tsx bench/load.ts [--tasks N] [--executors 1,2,4]");
  const started = Date.now();

  log("starting the cluster (webhook, planner)...");
  const cluster = await startCluster({ roles: ["webhook", "planner"], progress: log });
  const stopOnSignal = () => void cluster.stop().finally(() => process.exit(130));
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  const pgClient = new pg.Client({ connectionString: cluster.database.url });
  await pgClient.connect();
  const redis = new Redis(cluster.redisUrl, { maxRetriesPerRequest: 2 });
  const results: RunResult[] = [];
  try {
    // One task end to end first (not reported): the planner's and the first executor's mirror, worktree
    // directories and module caches are cold, which would bias the 1-executor baseline.
    log("warm-up task (not reported)...");
    await cluster.startRole("executor");
    const warmUp = await cluster.openIssue("Cart total crashes (warm-up)");
    await cluster.waitForState(warmUp.taskId, ["awaiting_approval"], 120_000);
    await cluster.approve(warmUp.taskId);
    await cluster.waitForState(warmUp.taskId, ["completed"], 120_000);
    for (const executors of executorCounts) {
      while (cluster.roles.filter((r) => r.role === "executor").length < executors) await cluster.startRole("executor");
      const result = await loadRun(cluster, pgClient, redis, executors, count);
      results.push(result);
      log(`  ${executors} executor(s): lag p95 ${fmt(result.lagP95, 0)} ms, ${fmt(result.perMinute)} tasks/min, ${fmt(result.pgBytesPerTask, 0)} B Postgres/task, ${fmt(result.redisBytesPerLiveTask, 0)} B Redis/live task`);
      // The whole result as it stands, so a run cut short (3 x 1,000 tasks take hours) still has every figure of the runs it finished.
      log(`  result ${JSON.stringify(result)}`);
    }
  } finally {
    await pgClient.end();
    redis.disconnect();
    await cluster.stop();
  }

  // ------------------------------------------------------------------ report
  const base = results[0];
  if (!base) throw new Error("no run finished");
  const ratio = (value: number, baseline: number) => fmt(value / baseline, 2);
  const kib = (bytes: number) => fmt(bytes / 1024, 1);
  const out: string[] = [];
  out.push(
    `${count} tasks per run with an instant agent (fake Claude, instant file writes; the shop sample's \`node --test\` suite runs red, base and green on every task), through separate \`fixline start --role\` processes: one webhook, one planner (PLANNER_CONCURRENCY 2), and ${executorCounts.join(", ")} executor processes (EXECUTOR_CONCURRENCY 1), Postgres and Redis local. Each run opens ${count} fresh issues, waits until all are planned, approves them all back to back and waits until the executors have cleared them. ${cpus().length} cores shared with other engineers' work, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(" ")}: every process of the cluster (and the test suites it runs) competes for the same two cores, so past two executors more processes mostly add contention, not throughput. Took ${Math.round((Date.now() - started) / 1000)} s.`,
  );
  out.push("");
  out.push("Queue lag = `awaiting_approval -> approved` (the transaction that writes the execution job's outbox row) to `approved -> executing` (the executor picked the job up), from task_events. Throughput = completed tasks / (first approval sent -> last `-> completed`). Postgres = Δ sum of `pg_total_relation_size` over the tables / tasks. Redis = Δ `MEMORY USAGE` summed over the cluster's own database index: right after the last approval minus after planning, / tasks live (approved or executing) at that moment; and what stays per finished task after the run (completed jobs BullMQ keeps, live-output streams kept for replay). Δ INFO `used_memory` is the whole server's, shared with other engineers: shown, not to be trusted.");
  out.push("");
  out.push(`| executor processes | tasks | failed | queue lag p50 ms | queue lag p95 ms | p95 ratio | tasks / min | throughput ratio | Postgres KiB / task | ratio | live at peak | Redis B / live task | ratio | Δ used_memory B / live task | Redis B kept / finished task | ratio |`);
  out.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of results)
    out.push(
      `| ${r.executors} | ${r.tasks} | ${r.failed} | ${fmt(r.lagP50, 0)} | ${fmt(r.lagP95, 0)} | ${ratio(r.lagP95, base.lagP95)} | ${fmt(r.perMinute)} | ${ratio(r.perMinute, base.perMinute)} | ${kib(r.pgBytesPerTask)} | ${ratio(r.pgBytesPerTask, base.pgBytesPerTask)} | ${r.liveAtPeak} | ${fmt(r.redisBytesPerLiveTask, 0)} | ${ratio(r.redisBytesPerLiveTask, base.redisBytesPerLiveTask)} | ${fmt(r.redisUsedMemoryPerLiveTask, 0)} | ${fmt(r.redisBytesPerFinishedTask, 0)} | ${ratio(r.redisBytesPerFinishedTask, base.redisBytesPerFinishedTask)} |`,
    );
  out.push("");
  out.push(`Planning queue lag p95 (\`received -> planning\`, ${count} issues opened back to back, one planner): ${results.map((r) => `${fmt(r.planLagP95, 0)} ms`).join(", ")}.`);
  out.push("");
  out.push("Postgres growth per task by table (1-executor run), KiB:");
  out.push("");
  out.push("| table | KiB / task |");
  out.push("|---|---:|");
  for (const t of base.pgTopTables) out.push(`| ${t.table} | ${kib(t.bytesPerTask)} |`);
  out.push("");
  out.push("Redis kept per finished task by kind of key (1-executor run; `<job>` = one BullMQ job hash, `events` = BullMQ's event stream, capped per queue):");
  out.push("");
  out.push("| key | keys / task | B / task |");
  out.push("|---|---:|---:|");
  for (const k of base.redisKindsPerFinishedTask.slice(0, 12)) out.push(`| \`${k.kind}\` | ${fmt(k.keysPerTask, 2)} | ${fmt(k.bytesPerTask, 0)} |`);
  process.stdout.write(`${out.join("\n")}\n`);
}

await main();
