import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, getTask, listAgentRuns, type FixlineDb } from "@fixline/db";
import { waitFor } from "@fixline/testing";
import { freePort, replayCosts, sendGitHubComment, sendSentryEventAlert, startDemoEnvironment, type DemoEnvironment } from "../services/cli/src/demo/index";
import { deleteRedisKeys } from "./support/delete-redis-keys";
import { metricValue, scrape, type Sample } from "./support/prometheus-text";

/**
 * Issue 7: each role's /metrics during an end-to-end run, with values that match what happened. The
 * webhook server, the planner and the executor run as three processes (each with its own prom-client
 * registry, as in a scaled-out deployment), sharing one Postgres database and one queue prefix.
 */
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

interface RoleProcess {
  role: string;
  child: ChildProcess;
  metricsUrl: string;
  output: string[];
}

let env: DemoEnvironment;
let db: FixlineDb;
const processes: RoleProcess[] = [];

async function startRole(role: "webhook" | "planner" | "executor", extraEnv: Record<string, string>, metricsUrl: string): Promise<RoleProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "e2e/support/start-role.ts", role, env.prefix], {
    cwd: repoRoot,
    env: { ...env.env, LOG_LEVEL: "warn", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const started: RoleProcess = { role, child, metricsUrl, output: [] };
  child.stdout?.on("data", (chunk: Buffer) => started.output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => started.output.push(chunk.toString()));
  processes.push(started);
  const health = metricsUrl.replace(/\/metrics$/, "/health");
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${role} exited ${child.exitCode}: ${started.output.join("")}`);
      return (await fetch(health)).ok;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: `the ${role} process to answer /health` },
  );
  return started;
}

async function stopRole(p: RoleProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.child.once("exit", () => resolve()));
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  env = await startDemoEnvironment({ databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL, pathEnv: process.env.PATH ?? "/usr/bin:/bin", homeDir: "/nonexistent", forceReplay: true });
  // The webhook role first: it migrates the fresh database before the workers connect.
  await startRole("webhook", {}, `http://127.0.0.1:${env.port}/metrics`);
  const [plannerPort, executorPort] = [await freePort(), await freePort()];
  await Promise.all([
    startRole("planner", { METRICS_PORT: String(plannerPort) }, `http://127.0.0.1:${plannerPort}/metrics`),
    startRole("executor", { METRICS_PORT: String(executorPort) }, `http://127.0.0.1:${executorPort}/metrics`),
  ]);
  db = await createDb({ databaseUrl: env.config.databaseUrl });
});

afterAll(async () => {
  await Promise.all(processes.map(stopRole));
  const tasks = (await db?.selectFrom("tasks").select("id").execute().catch(() => [])) ?? [];
  await db?.destroy();
  if (env) {
    await deleteRedisKeys(env.config.redisUrl, env.prefix, tasks.map((t) => `task:${t.id}:output`)).catch(() => {});
    await env.close();
  }
});

describe("metrics per role, one task end to end across three processes", () => {
  it("counts the task once where it happened: started on the webhook role, planned on the planner, completed and paid on the executor", async () => {
    const target = { url: `http://127.0.0.1:${env.port}`, secrets: env.secrets };
    const alert = await sendSentryEventAlert(target);
    expect(alert.status).toBe(200);
    const taskId = (alert.body as { taskId: string }).taskId;
    const planned = await waitFor(async () => ((await getTask(db, taskId))?.state === "awaiting_approval" ? getTask(db, taskId) : undefined), { timeoutMs: 40_000, what: "the plan" });
    const approve = await sendGitHubComment(target, { prNumber: planned.prNumber!, body: "@agent approve" });
    expect(approve.body).toMatchObject({ outcome: "command_applied" });
    await waitFor(async () => (await getTask(db, taskId))?.state === "completed", { timeoutMs: 40_000, what: "the task to complete" });

    const [webhook, planner, executor] = (await Promise.all(processes.map((p) => scrape(p.metricsUrl)))) as [Sample[], Sample[], Sample[]];

    // Webhook role: the task started here, from Sentry; no agent ran here.
    expect(metricValue(webhook, "ai_agent_tasks_started_total", { source: "sentry" })).toBe(1);
    expect(metricValue(webhook, "ai_agent_tasks_started_total")).toBe(1);
    expect(metricValue(webhook, "ai_agent_webhook_deliveries_total", { source: "sentry", outcome: "accepted" })).toBe(1);
    expect(metricValue(webhook, "ai_agent_webhook_deliveries_total", { source: "github", outcome: "accepted" })).toBe(1);
    expect(metricValue(webhook, "ai_agent_claude_runs_total")).toBe(0);
    expect(metricValue(webhook, "ai_agent_cost_usd_total")).toBe(0);

    // Planner: one successful planning run and its cost; it neither started nor finished the task.
    expect(metricValue(planner, "ai_agent_claude_runs_total", { phase: "planning", outcome: "ok" })).toBe(1);
    expect(metricValue(planner, "ai_agent_claude_runs_total")).toBe(1);
    expect(metricValue(planner, "ai_agent_cost_usd_total", { phase: "planning" })).toBeCloseTo(replayCosts.planning, 10);
    expect(metricValue(planner, "ai_agent_tasks_started_total")).toBe(0);
    expect(metricValue(planner, "ai_agent_tasks_completed_total")).toBe(0);

    // Executor: red and green runs, the task completed once.
    expect(metricValue(executor, "ai_agent_tasks_completed_total", { status: "completed" })).toBe(1);
    expect(metricValue(executor, "ai_agent_tasks_completed_total")).toBe(1);
    expect(metricValue(executor, "ai_agent_claude_runs_total", { phase: "planning" })).toBe(0);
    expect(metricValue(executor, "ai_agent_claude_runs_total")).toBe(2);
    expect(metricValue(executor, "ai_agent_cost_usd_total")).toBeCloseTo(replayCosts.red + replayCosts.green, 10);

    // Cost counted once: the three registries add up to exactly the fake CLI's scripted costs and the agent_runs rows.
    const total = [webhook, planner, executor].reduce((sum, samples) => sum + metricValue(samples, "ai_agent_cost_usd_total"), 0);
    expect(total).toBeCloseTo(replayCosts.planning + replayCosts.red + replayCosts.green, 10);
    const recorded = (await listAgentRuns(db, taskId)).reduce((sum, run) => sum + run.costUsd, 0);
    expect(total).toBeCloseTo(recorded, 10);
  });
});
