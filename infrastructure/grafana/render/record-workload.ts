/**
 * Records a short, real Fixline workload in a local Prometheus and renders the dashboard from it.
 *
 * Starts the bench cluster (webhook, planner and two executor processes: bench/lib/fixline-cluster.ts), a
 * Prometheus scraping all their /metrics every second with the shipped alert rules loaded, then drives
 * tasks through the whole flow: successful tasks in waves, a rejected plan that is re-planned and approved,
 * planning runs that crash or exhaust their budget, and forged webhooks. Then it renders
 * docs/images/grafana-dashboard.png over exactly that time range and stops everything it started.
 *
 * Usage: node --import tsx infrastructure/grafana/render/record-workload.ts [--out docs/images/grafana-dashboard.png]
 *          [--waves 5] [--prometheus-bin prometheus] [--keep-data <dir>]
 */
import { spawn } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { budgetMarker, crashMarker } from "../../../bench/lib/bench-scenario";
import { repoRoot, startCluster, type Cluster } from "../../../bench/lib/fixline-cluster";
import { renderDashboard } from "./render-dashboard";

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function prometheusConfig(cluster: Cluster, rulesPath: string): string {
  const target = (url: string) => new URL(url).host;
  const webhook = cluster.roles.filter((r) => r.role === "webhook").map((r) => `"${target(r.baseUrl)}"`);
  const workers = cluster.roles.filter((r) => r.role !== "webhook").map((r) => `"${target(r.baseUrl)}"`);
  return [
    "global:",
    "  scrape_interval: 1s",
    "  evaluation_interval: 1s",
    "rule_files:",
    `  - ${JSON.stringify(rulesPath)}`,
    "scrape_configs:",
    "  - job_name: fixline-webhook",
    "    static_configs:",
    `      - targets: [${webhook.join(", ")}]`,
    "  - job_name: fixline-workers",
    "    static_configs:",
    `      - targets: [${workers.join(", ")}]`,
    "",
  ].join("\n");
}

/** A task from issue to ready PR; `reject` first sends the plan back once. */
async function happyTask(cluster: Cluster, title: string, reject = false): Promise<string> {
  const { taskId } = await cluster.openIssue(title);
  await cluster.waitForState(taskId, ["awaiting_approval"], 120_000);
  if (reject) {
    await sleep(1500);
    await cluster.reject(taskId, "Also cover a cart where every product was removed.");
    await cluster.waitForState(taskId, ["planning"], 30_000).catch(() => undefined);
    await cluster.waitForState(taskId, ["awaiting_approval"], 120_000);
  }
  // A person takes a moment to read the plan: the approval-wait histogram gets real values.
  await sleep(1000 + Math.random() * 3000);
  await cluster.approve(taskId);
  return (await cluster.waitForState(taskId, ["completed", "failed"], 180_000)).state;
}

async function failingTask(cluster: Cluster, title: string): Promise<string> {
  const { taskId } = await cluster.openIssue(title);
  return (await cluster.waitForState(taskId, ["failed", "awaiting_approval"], 180_000)).state;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: "docs/images/grafana-dashboard.png" },
      waves: { type: "string", default: "5" },
      "prometheus-bin": { type: "string", default: "prometheus" },
      "keep-data": { type: "string" },
    },
  });
  const waves = Number(values.waves);
  const work = await mkdtemp(join(tmpdir(), "fixline-prometheus-"));
  log("starting Fixline (webhook, planner, 2 executors)...");
  const cluster = await startCluster({ roles: ["webhook", "planner", "executor", "executor"], logLevel: "warn", progress: log });
  let prometheus: ReturnType<typeof spawn> | undefined;
  try {
    const rules = join(work, "alerts.yml");
    await cp(resolve(repoRoot, "infrastructure/grafana/prometheus/alerts.yml"), rules);
    await writeFile(join(work, "prometheus.yml"), prometheusConfig(cluster, rules));
    const port = await freePort();
    const promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(values["prometheus-bin"], [`--config.file=${join(work, "prometheus.yml")}`, `--storage.tsdb.path=${join(work, "data")}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "ignore"] });
    for (let i = 0; ; i++) {
      const ready = await fetch(`${promUrl}/-/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (i > 100) throw new Error("Prometheus did not become ready");
      await sleep(200);
    }
    log(`Prometheus at ${promUrl}, scraping every 1 s`);
    await sleep(5000);
    const from = Date.now() / 1000 - 5;

    const outcomes: string[] = [];
    for (let wave = 0; wave < waves; wave++) {
      log(`wave ${wave + 1}/${waves}`);
      const jobs: Array<Promise<string>> = [
        happyTask(cluster, `Cart total crashes for removed products (wave ${wave + 1}a)`, wave === 1),
        happyTask(cluster, `Cart total crashes for removed products (wave ${wave + 1}b)`),
      ];
      if (wave === 1) jobs.push(failingTask(cluster, `Checkout throws (${crashMarker})`));
      if (wave === 3) jobs.push(failingTask(cluster, `Refund page loops (${budgetMarker})`));
      for (let i = 0; i < (wave % 2 === 0 ? 3 : 1); i++) log(`  forged webhook answered ${await cluster.forgedWebhook()}`);
      outcomes.push(...(await Promise.all(jobs)));
      await sleep(2000);
    }
    log(`outcomes: ${outcomes.join(", ")}`);
    // Let the last scrapes and rule evaluations land.
    await sleep(6000);
    const to = Date.now() / 1000;
    const result = await renderDashboard({ prometheusUrl: promUrl, from, to, out: values.out, htmlOut: join(work, "dashboard.html") });
    log(`wrote ${values.out}: ${result.withData} of ${result.panels} panels have data (range ${Math.round(to - from)} s)`);
    if (values["keep-data"]) await cp(work, values["keep-data"], { recursive: true });
  } finally {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once("exit", r));
      prometheus.kill("SIGTERM");
      await exited;
    }
    await cluster.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
