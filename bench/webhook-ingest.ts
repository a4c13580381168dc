/**
 * Webhook ingest benchmark: signed Sentry deliveries through the whole path (verify over raw bytes,
 * one Postgres transaction recording the delivery, the task and its outbox rows, the outbox relay into
 * BullMQ) measured side by side with a bare Fastify route that has the same settings (same logger and
 * level, same raw-buffer content-type parsing, same body limit), on the same machine, in the same run.
 *
 *  1. max req/s and p50/p99 for: bare Fastify, distinct Sentry issues (each creates a task), the same
 *     issue (each delivery bumps one task's counter); ratio to bare.
 *  2. p99 at half the measured maximum rate (autocannon overallRate) for distinct issues.
 *  3. duplicate storms: 10,000 copies of one delivery id -> exactly 1 task; 10,000 distinct delivery ids
 *     for one Sentry issue -> 1 task with occurrences 10,000.
 *
 * The servers run in a child process (forked with the same loader) so autocannon's own CPU does not
 * share the servers' event loop. A script, not a test: it prints numbers and exits non-zero only if a
 * storm does not end with exactly one task.
 *
 * Usage: tsx bench/webhook-ingest.ts [--duration 10] [--connections 32] [--storm 10000]
 *   (DATABASE_URL default postgres://postgres@127.0.0.1:5432/postgres, REDIS_URL default redis://127.0.0.1:6379)
 *   BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server process there (node --cpu-prof).
 */
import { fork, type ChildProcess } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { cpuSeconds, cpuSnapshot, type CpuGroup } from "./lib/process-cpu";

process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";

const secret = "bench-sentry-secret";
const logLevel = "warn";
const fixlineYaml = "routing:\n  sentry:\n    front-end: acme/shop\n";

// ---------------------------------------------------------------------------------------------
// autocannon ships no types; these are the parts used here.
interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number; sent: number };
  latency: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  "2xx": number;
}
interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  overallRate?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: Array<RawRequest & { setupRequest?: (request: RawRequest) => RawRequest }>;
}
type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

// ---------------------------------------------------------------------------------------------
// The server side (child process): the real app and a bare Fastify route.
async function serve(): Promise<void> {
  const { default: Fastify } = await import("fastify");
  const { createLogger, loadConfig } = await import("@fixline/core");
  const { createDb, createIngestBatcher, startOutboxRelay } = await import("@fixline/db");
  const { createJobQueues, createRedis } = await import("@fixline/queue");
  const { buildApp } = await import("../services/webhook-server/src/index");

  const databaseUrl = process.env.BENCH_DATABASE_URL!;
  const prefix = process.env.BENCH_PREFIX!;
  const config = loadConfig({ LOG_LEVEL: logLevel, SENTRY_CLIENT_SECRET: secret, DATABASE_URL: databaseUrl, REDIS_URL: process.env.REDIS_URL, FIXLINE_CONFIG: fixlineYaml });
  const logger = createLogger({ level: logLevel });
  const db = await createDb({ databaseUrl, maxConnections: Number(process.env.BENCH_POOL ?? 10) });
  const redis = createRedis(config.redisUrl, "producer");
  const queues = createJobQueues({ connection: redis, prefix });
  // --no-relay isolates the request path from the relay competing for the same Postgres and CPU.
  const relay = process.env.BENCH_NO_RELAY ? undefined : startOutboxRelay({ db, queues, logger, databaseUrl });
  const app = await buildApp({ config, db, redis, queues, logger, checkPermission: async () => "none" });
  const appAddress = await app.listen({ host: "127.0.0.1", port: 0 });
  // The baseline for group commit: the same app, each delivery in its own commit (as before issue 19).
  const single = await buildApp({ config, db, redis, queues, logger, checkPermission: async () => "none", ingest: createIngestBatcher(db, { maxBatch: 1, maxInFlight: 64 }) });
  const singleAddress = await single.listen({ host: "127.0.0.1", port: 0 });

  const bare = Fastify({ loggerInstance: logger, bodyLimit: config.webhookBodyLimitBytes });
  bare.removeAllContentTypeParsers();
  bare.addContentTypeParser(["application/json", "application/x-www-form-urlencoded"], { parseAs: "buffer", bodyLimit: config.webhookBodyLimitBytes }, (_r, body, done) => done(null, body));
  bare.post("/webhooks/sentry", async (request) => ({ outcome: "ok", bytes: (request.body as Buffer).length }));
  const bareAddress = await bare.listen({ host: "127.0.0.1", port: 0 });

  process.send?.({ appAddress, bareAddress, singleAddress });
  const { metrics } = await import("@fixline/observability");
  process.on("message", (message) => {
    if (message === "batches") {
      // Deliveries per commit so far (group commit's batch sizes), for the parent's per-run difference.
      void metrics.ingestBatchSize.get().then(({ values }) => {
        const total = (suffix: string) => values.find((v) => v.metricName === `ai_agent_ingest_batch_size${suffix}`)?.value ?? 0;
        process.send?.({ batches: { deliveries: total("_sum"), commits: total("_count") } });
      });
      return;
    }
    if (message !== "stop") return;
    void (async () => {
      await app.close();
      await single.close();
      await bare.close();
      await relay?.stop();
      await queues.close();
      redis.disconnect();
      await db.destroy();
      process.exit(0);
    })();
  });
}

// ---------------------------------------------------------------------------------------------
// The driving side (parent process).
function sentryBody(issueId: string): string {
  return JSON.stringify({
    action: "created",
    actor: { id: "sentry", name: "Sentry", type: "application" },
    data: {
      issue: {
        id: issueId,
        title: "ReferenceError: blooopy is not defined",
        shortId: "FRONT-END-9",
        culprit: "?(runner)",
        level: "error",
        metadata: { type: "ReferenceError", value: "blooopy is not defined", filename: "/runner" },
        project: { id: "1", name: "front-end", slug: "front-end" },
        count: "1",
        userCount: 1,
        firstSeen: "2019-08-19T20:58:37.391000Z",
        lastSeen: "2019-08-19T20:58:37.391000Z",
      },
    },
    installation: { uuid: "a8e5d37a-696c-4c54-adb5-b3f28d64c7de" },
  });
}

function signed(body: string, requestId: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "sentry-hook-resource": "issue",
    "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
    "request-id": requestId,
    "sentry-hook-signature": createHmac("sha256", secret).update(body).digest("hex"),
  };
}

/** A request template that signs a fresh delivery each time: a new Request-ID, and a new issue id unless `issueId` is fixed. */
function freshDeliveries(runTag: string, issueId?: string): AutocannonOptions["requests"] {
  let n = 0;
  return [
    {
      method: "POST",
      path: "/webhooks/sentry",
      setupRequest: (request) => {
        n++;
        const body = sentryBody(issueId ?? `${runTag}-${n}`);
        return { ...request, body, headers: signed(body, `${runTag}-req-${n}`) };
      },
    },
  ];
}

/**
 * An evenly paced open-loop load: request i is due at start + i/rate. autocannon's overallRate sends each
 * connection's quota at the start of every second, i.e. in bursts; this shows the steady-rate picture.
 * Latency is counted from the actual send; how late the generator itself sent (its own event loop
 * starved on a busy machine) is reported apart as `lagP99`, so a slow client is not blamed on the server.
 */
async function paced(
  base: string,
  rate: number,
  seconds: number,
  next: () => { body: string; headers: Record<string, string> },
): Promise<{ p50: number; p99: number; lagP99: number; sent: number; non2xx: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(`${base}/webhooks/sentry`);
  const total = Math.floor(rate * seconds);
  const latencies: number[] = [];
  const lags: number[] = [];
  let non2xx = 0;
  const inflight: Array<Promise<void>> = [];
  const start = performance.now() + 50;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { body, headers } = next();
    const sentAt = performance.now();
    lags.push(sentAt - due);
    inflight.push(
      new Promise<void>((resolve) => {
        const req = httpRequest({ agent, host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(performance.now() - sentAt);
            if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) non2xx++;
            resolve();
          });
        });
        req.on("error", () => {
          non2xx++;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  const at = (samples: number[], p: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? Number.NaN;
  return { p50: at(latencies, 0.5), p99: at(latencies, 0.99), lagP99: at(lags, 0.99), sent: total, non2xx };
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
  /** CPU-seconds per process group during the run (server, postgres, redis, generator). */
  cpu?: Map<string, number>;
  /** Mean deliveries per ingest commit during the run (the group commit's batch size). */
  perCommit?: number | undefined;
}

function row(name: string, result: AutocannonResult & { cpu?: Map<string, number>; perCommit?: number | undefined }): Row {
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts, total: result.requests.total, cpu: result.cpu, perCommit: result.perCommit };
}

/** Runs the ingest batch statement as fast as two connections can for `seconds`, with fresh deliveries. */
async function statementCeiling(databaseUrl: string, runTag: string, batchSize: number, seconds: number, cpuGroups: CpuGroup[]): Promise<{ perSecond: number; deliveries: number; cpu: Map<string, number> }> {
  const { createDb, ingestBatchStatement } = await import("@fixline/db");
  const db = await createDb({ databaseUrl, maxConnections: 2 });
  let n = 0;
  const request = () => {
    n++;
    return { delivery: { source: "sentry", deliveryId: `${runTag}-${n}`, event: "issue" }, source: "sentry" as const, sourceKey: `sentry:${runTag}-${n}`, repo: "acme/shop", title: "ReferenceError: blooopy is not defined", context: { sentry: { issueId: `${runTag}-${n}` } } };
  };
  const before = cpuSnapshot(cpuGroups);
  const started = performance.now();
  const until = started + seconds * 1000;
  let deliveries = 0;
  const loop = async () => {
    while (performance.now() < until) {
      await ingestBatchStatement(db, Array.from({ length: batchSize }, request));
      deliveries += batchSize;
    }
  };
  await Promise.all([loop(), loop()]);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(before, cpuSnapshot(cpuGroups));
  await db.destroy();
  return { perSecond: deliveries / elapsed, deliveries, cpu };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: "string", default: "10" }, connections: { type: "string", default: "32" }, storm: { type: "string", default: "10000" }, "no-relay": { type: "boolean", default: false } } });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const stormSize = Number(values.storm);
  const { createTestDatabase, createTestRedis } = await import("@fixline/testing");
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  let child: ChildProcess | undefined;
  let failed = false;
  try {
    child = fork(fileURLToPath(import.meta.url), ["--serve"], { execArgv: [...process.execArgv, ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])], env: { ...process.env, BENCH_DATABASE_URL: database.url, BENCH_PREFIX: redis.prefix, ...(values["no-relay"] ? { BENCH_NO_RELAY: "1" } : {}) }, stdio: "inherit" });
    const { appAddress, bareAddress, singleAddress } = await new Promise<{ appAddress: string; bareAddress: string; singleAddress: string }>((resolve, reject) => {
      child!.once("message", (m) => resolve(m as { appAddress: string; bareAddress: string; singleAddress: string }));
      child!.once("exit", (code) => reject(new Error(`server process exited with ${code}`)));
    });
    const serverPid = child.pid;
    const cpuGroups: CpuGroup[] = [
      { name: "server", match: (pid) => pid === serverPid },
      { name: "postgres", match: (_pid, comm) => comm.startsWith("postgres") },
      { name: "redis", match: (_pid, comm) => comm.startsWith("redis-server") },
      { name: "generator", match: (pid) => pid === process.pid },
    ];
    const batches = () =>
      new Promise<{ deliveries: number; commits: number }>((resolve) => {
        const onMessage = (m: unknown) => {
          const answer = (m as { batches?: { deliveries: number; commits: number } }).batches;
          if (!answer) return;
          child!.off("message", onMessage);
          resolve(answer);
        };
        child!.on("message", onMessage);
        child!.send("batches");
      });
    const run = async (options: Omit<AutocannonOptions, "url" | "connections"> & { connections?: number }, base = appAddress) => {
      const before = cpuSnapshot(cpuGroups);
      const batchesBefore = await batches();
      const result = await autocannon({ connections, ...options, url: `${base}/webhooks/sentry` });
      const batchesAfter = await batches();
      const commits = batchesAfter.commits - batchesBefore.commits;
      return { ...result, cpu: cpuSeconds(before, cpuSnapshot(cpuGroups)), perCommit: commits > 0 ? (batchesAfter.deliveries - batchesBefore.deliveries) / commits : undefined };
    };
    const tag = randomUUID().slice(0, 8);
    const rows: Row[] = [];

    // Warm-up (JIT, pools) on both, not reported.
    await run({ duration: 2, requests: freshDeliveries(`${tag}-warm`) });
    const fixedBody = sentryBody("bare");
    await run({ duration: 2, method: "POST", body: fixedBody, headers: signed(fixedBody, "bare") }, bareAddress);

    // 1. Maximum rates.
    const bare = await run({ duration, method: "POST", body: fixedBody, headers: signed(fixedBody, "bare") }, bareAddress);
    rows.push(row("bare Fastify route (same settings)", bare));
    const distinct = await run({ duration, requests: freshDeliveries(`${tag}-distinct`) });
    rows.push(row("Sentry, distinct issues (task created; group commit)", distinct));
    await run({ duration: 2, requests: freshDeliveries(`${tag}-single-warm`) }, singleAddress);
    const single = await run({ duration, requests: freshDeliveries(`${tag}-single`) }, singleAddress);
    rows.push(row("Sentry, distinct issues, one commit per delivery (before group commit)", single));
    const same = await run({ duration, requests: freshDeliveries(`${tag}-same`, `${tag}-same-issue`) });
    rows.push(row("Sentry, same issue (counter bumped)", same));

    // 2. Half the maximum rate: the latency a sender sees when we are not saturated.
    const halfRate = Math.max(1, Math.floor(distinct.requests.average / 2));
    const half = await run({ duration, overallRate: halfRate, requests: freshDeliveries(`${tag}-half`) });
    rows.push(row(`Sentry, distinct issues at ${halfRate} req/s (half max, autocannon overallRate: bursts each second)`, half));
    let pacedN = 0;
    const pacedBefore = cpuSnapshot(cpuGroups);
    const steady = await paced(appAddress, halfRate, duration, () => {
      pacedN++;
      const body = sentryBody(`${tag}-paced-${pacedN}`);
      return { body, headers: signed(body, `${tag}-paced-req-${pacedN}`) };
    });
    rows.push({ name: `Sentry, distinct issues at ${halfRate} req/s (half max, evenly paced)`, rps: steady.sent / duration, p50: steady.p50, p99: steady.p99, non2xx: steady.non2xx, errors: 0, total: steady.sent, cpu: cpuSeconds(pacedBefore, cpuSnapshot(cpuGroups)) });

    // The ceiling Postgres sets: the same batch statement with no HTTP in front of it (no request, signature
    // or parsing), from two connections, at the batch size the group-commit run formed, while the server's
    // relay sends its jobs beside it. What no HTTP ingest on this machine can pass, so it says how far the
    // ratio to bare Fastify can go here at all.
    const ceilingBatch = Math.max(1, Math.round(distinct.perCommit ?? 8));
    const ceiling = await statementCeiling(database.url, `${tag}-ceiling`, ceilingBatch, duration, cpuGroups);
    rows.push({ name: `the batch statement without HTTP (its jobs relayed beside it), 2 connections, ${ceilingBatch} deliveries per commit`, rps: ceiling.perSecond, p50: Number.NaN, p99: Number.NaN, non2xx: 0, errors: 0, total: ceiling.deliveries, cpu: ceiling.cpu, perCommit: ceilingBatch });

    // 3. Duplicate storms.
    const stormBody = sentryBody(`${tag}-storm-one`);
    const stormHeaders = signed(stormBody, `${tag}-storm-delivery`);
    const storm1 = await run({ amount: stormSize, method: "POST", body: stormBody, headers: stormHeaders });
    rows.push(row(`storm: ${stormSize} copies of one delivery id`, storm1));
    const storm2 = await run({ amount: stormSize, requests: freshDeliveries(`${tag}-storm-many`, `${tag}-storm-issue`) });
    rows.push(row(`storm: ${stormSize} delivery ids, one issue`, storm2));

    const db = database.db;
    const tasksFor = (issue: string) => db.selectFrom("tasks").select(["id", "occurrences"]).where("source_key", "=", `sentry:${issue}`).execute();
    const oneDelivery = await tasksFor(`${tag}-storm-one`);
    const oneIssue = await tasksFor(`${tag}-storm-issue`);
    const stormDeliveries = await db.selectFrom("deliveries").select("id").where("delivery_id", "=", `${tag}-storm-delivery`).execute();
    const pendingOutbox = await db.selectFrom("outbox").select("id").where("sent_at", "is", null).execute();

    // How soon a delivery's planning job is in BullMQ after the delivery was written (outbox sent_at minus the
    // task's created_at, both Postgres's clock), over the evenly paced run: the relay's hop (a wake-up, a claim)
    // or enqueue after commit. The relay stamps sent_at before its addBulk and the sender after its own, so this
    // leans in the relay's favour.
    const lagClient = new pg.Client({ connectionString: database.url });
    await lagClient.connect();
    const enqueueLag = await lagClient.query<{ p50: number | null; p95: number | null; n: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95, count(*)::int AS n
       FROM (SELECT extract(epoch FROM o.sent_at - t.created_at) * 1000 AS ms
             FROM outbox o JOIN tasks t ON t.id = (o.data->>'taskId')::uuid
             WHERE o.queue = 'planning' AND t.source_key LIKE $1 AND o.sent_at IS NOT NULL) lag`,
      [`sentry:${tag}-paced-%`],
    );
    await lagClient.end();
    const lag = enqueueLag.rows[0];

    const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
    console.log("\n## Webhook ingest benchmark\n");
    const os = await import("node:os");
    console.log(`connections ${connections}, ${duration} s per run, logger level ${logLevel}, one machine (${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})\n`);
    console.log("| run | req/s | ratio to bare | p50 ms | p99 ms | non-2xx | errors | requests | deliveries per commit | CPU-s server / postgres / redis / generator | CPU ms per request, server + postgres + redis |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
    for (const r of rows) {
      const cpu = r.cpu ? ["server", "postgres", "redis", "generator"].map((g) => fmt(r.cpu!.get(g) ?? 0)).join(" / ") : "";
      // What one request costs the serving side, whatever else the machine does: steadier than req/s on shared cores.
      const perRequest = r.cpu && r.total > 0 ? fmt((1000 * ["server", "postgres", "redis"].reduce((sum, g) => sum + (r.cpu!.get(g) ?? 0), 0)) / r.total, 3) : "";
      console.log(`| ${r.name} | ${fmt(r.rps)} | ${fmt(r.rps / bare.requests.average, 3)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.non2xx} | ${r.errors} | ${r.total} | ${r.perCommit === undefined ? "" : fmt(r.perCommit)} | ${cpu} | ${perRequest} |`);
    }
    console.log("");
    console.log(`| check | result | goal |`);
    console.log(`|---|---|---|`);
    const ratio = distinct.requests.average / bare.requests.average;
    console.log(`| distinct-issue req/s / bare req/s | ${fmt(ratio, 3)} | >= 0.25 ${ratio >= 0.25 ? "(met)" : "(NOT met)"} |`);
    console.log(`| batch statement without HTTP / bare req/s (the most any HTTP ingest could reach here) | ${fmt(ceiling.perSecond / bare.requests.average, 3)} | |`);
    console.log(`| distinct-issue req/s / batch statement without HTTP | ${fmt(distinct.requests.average / ceiling.perSecond, 2)} | |`);
    console.log(`| group commit / one commit per delivery (distinct issues) | ${fmt(distinct.requests.average / single.requests.average, 2)}x | > 1 |`);
    console.log(`| p99 at half max rate, autocannon overallRate | ${fmt(half.latency.p99)} ms | < 50 ms ${half.latency.p99 < 50 ? "(met)" : "(NOT met)"} |`);
    console.log(`| p99 at half max rate, evenly paced | ${fmt(steady.p99)} ms (generator lag p99 ${fmt(steady.lagP99)} ms) | < 50 ms ${steady.p99 < 50 ? "(met)" : "(NOT met)"} |`);
    const storm1Ok = oneDelivery.length === 1 && stormDeliveries.length === 1;
    console.log(`| ${stormSize} copies of one delivery | ${oneDelivery.length} task, ${stormDeliveries.length} delivery row | 1 task ${storm1Ok ? "(met)" : "(NOT met)"} |`);
    const storm2Ok = oneIssue.length === 1 && oneIssue[0]?.occurrences === stormSize;
    console.log(`| ${stormSize} deliveries of one issue | ${oneIssue.length} task, occurrences ${oneIssue[0]?.occurrences ?? 0} | 1 task, occurrences ${stormSize} ${storm2Ok ? "(met)" : "(NOT met)"} |`);
    console.log(`| outbox rows still pending at the end | ${pendingOutbox.length} | relay keeps up |`);
    console.log(`| delivery written to planning job enqueued, evenly paced run (${lag?.n ?? 0} tasks) | p50 ${fmt(Number(lag?.p50 ?? Number.NaN))} ms, p95 ${fmt(Number(lag?.p95 ?? Number.NaN))} ms | |`);
    const anyNon2xx = rows.some((r) => r.non2xx > 0 || r.errors > 0);
    if (anyNon2xx) console.log("\nWARNING: some requests were not answered 2xx; see the non-2xx and errors columns.");
    failed = !storm1Ok || !storm2Ok;
  } finally {
    if (child && child.exitCode === null) {
      child.send("stop");
      await new Promise((resolve) => child!.once("exit", resolve));
    }
    await redis.cleanup();
    await database.destroy();
  }
  if (failed) process.exitCode = 1;
}

if (process.argv.includes("--serve")) await serve();
else await main();
