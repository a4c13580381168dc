import { createLogger, redactorFor, shortTaskId, silentLogger, type TaskState } from "@fixline/core";
import { getTask, listAgentRuns, type TaskRecord } from "@fixline/db";
import { createRedis, deleteKeysMatching, type RedisClient } from "@fixline/queue";
import { startFixline, type RunningFixline } from "../runtime/start-fixline";
import { demoNames, startDemoEnvironment, type DemoEnvironment, type StartDemoEnvironmentOptions } from "./demo-environment";
import { latestOutputLine } from "./latest-output-line";
import { evidenceForTerminal } from "./evidence-for-terminal";
import { markdownSection } from "./markdown-section";
import { createProgressReporter, type DemoOutput, type ProgressReporter } from "./progress-reporter";
import { remoteBranch } from "./remote-branch";
import { sendGitHubComment, sendSentryEventAlert } from "./signed-webhooks";

export interface RunDemoOptions extends StartDemoEnvironmentOptions {
  out: DemoOutput;
  /** Keep everything running after the PR is ready until this resolves (`--keep`: until Ctrl-C). */
  keepUntil?: Promise<void>;
  /** Aborted on Ctrl-C: the demo stops where it is and still removes everything it made (issue 17). */
  signal?: AbortSignal;
  /** How long to wait for each of the plan and the fix. */
  stepTimeoutMs?: number;
  /** Called with everything still running, before the teardown (the end-to-end test inspects here). */
  beforeStop?: (demo: RunningDemo) => Promise<void>;
  nowMs?: () => number;
}

export interface RunningDemo {
  environment: DemoEnvironment;
  fixline: RunningFixline;
  redis: RedisClient;
  taskId: string;
  dashboardUrl: string;
}

export interface DemoResult {
  agent: "claude" | "replay";
  taskId: string;
  prNumber: number;
  prUrl: string;
  branch: string;
  /** Commit subjects on the PR branch, oldest first. */
  commits: string[];
  evidence: string;
  diff: string;
  costUsd: number;
  /** Wall time from start to the ready PR (setup included, teardown not). */
  elapsedMs: number;
}

export const replayBanner = "REPLAY AGENT (scripted; no model is called)";

const finalStates: TaskState[] = ["completed", "failed", "rejected", "cancelled"];

/** Polls the task until it reaches `want`, showing its state and the agent's latest line; throws on an end state. */
async function waitForState(demo: { fixline: RunningFixline; redis: RedisClient; taskId: string; signal?: AbortSignal | undefined }, progress: ProgressReporter, want: TaskState, timeoutMs: number): Promise<TaskRecord> {
  const deadline = Date.now() + timeoutMs;
  // The previous step's last line is not news; show the agent's output from this step on.
  const stale = await latestOutputLine(demo.redis, demo.taskId).catch(() => undefined);
  for (;;) {
    if (demo.signal?.aborted) throw new Error("interrupted (Ctrl-C)");
    const task = await getTask(demo.fixline.db, demo.taskId);
    if (task?.state === want) return task;
    if (task && finalStates.includes(task.state)) {
      throw new Error(`the task ended ${task.state}${task.errorCode ? ` with ${task.errorCode}: ${task.errorMessage ?? ""}` : ""}`);
    }
    const latest = await latestOutputLine(demo.redis, demo.taskId).catch(() => undefined);
    progress.detail(`state: ${task?.state ?? "?"}${latest && latest !== stale ? ` · ${latest}` : ""}`);
    if (Date.now() > deadline) throw new Error(`the task did not reach ${want} within ${Math.round(timeoutMs / 1000)}s (it is ${task?.state ?? "missing"})`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const indent = (text: string, prefix = "  "): string =>
  text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");

/**
 * The one-command demo (issue 9): a Sentry alert becomes a draft PR with PLAN.md, `@agent approve` becomes
 * a ready PR with a proven red/green fix, every step printed as it happens. Everything is local: fake
 * provider APIs, a bare git remote, a fresh database and queue prefix, removed again at the end.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const now = options.nowMs ?? Date.now;
  const startedAt = now();
  const out = options.out;
  const progress = createProgressReporter(out, { nowMs: now });
  const stepTimeoutMs = options.stepTimeoutMs ?? 20 * 60_000;
  let environment: DemoEnvironment | undefined;
  let fixline: RunningFixline | undefined;
  let redis: RedisClient | undefined;
  let taskId: string | undefined;
  progress.line("Fixline demo: a Sentry alert becomes a reviewed, test-proven pull request.\n");
  try {
    progress.step("Starting local GitHub, Slack, Jira and Sentry APIs, the shop sample repository and a fresh database");
    environment = await startDemoEnvironment(options);
    const env = environment;
    if (options.signal?.aborted) throw new Error("interrupted (Ctrl-C)");
    progress.done(`Local services ready: ${env.remote.repo} (bare remote at ${env.remote.path}), ${env.database ? `Postgres database ${env.database.name}` : "embedded PGlite"}`);
    if (env.agent.kind === "replay") {
      const bar = "═".repeat(replayBanner.length + 4);
      progress.line(`\n╔${bar}╗\n║  ${replayBanner}  ║\n╚${bar}╝`);
      progress.line("The Claude CLI is not installed or not logged in, so a recorded run plays back: it really edits the");
      progress.line("worktree and runs the tests, and Fixline proves red and green exactly as with the real agent.\n");
    } else {
      progress.line(`\nAgent: the real Claude Code CLI (${env.agent.bin}, logged in${env.agent.authMethod ? ` via ${env.agent.authMethod}` : ""}). This calls the model and costs money.\n`);
    }

    progress.step("Starting Fixline: webhook server, planner, executor, notify worker, hooks, outbox relay");
    const logger = env.config.logLevel === "silent" ? silentLogger() : createLogger({ level: env.config.logLevel, name: "fixline-demo", redactor: redactorFor(env.config) });
    fixline = await startFixline({ config: env.config, logger, role: "all", pathEnv: options.pathEnv, homeDir: env.env.HOME ?? env.root, prefix: env.prefix });
    redis = createRedis(env.config.redis, "producer");
    if (options.signal?.aborted) throw new Error("interrupted (Ctrl-C)");
    const webhookUrl = fixline.webhook?.url ?? `http://127.0.0.1:${env.port}`;
    progress.done("Fixline is running (all roles in this process)");
    progress.line(`  Dashboard: ${webhookUrl}/   (sign in with FIXLINE_API_TOKEN=${env.secrets.apiToken})`);
    progress.line(`  Metrics:   ${webhookUrl}/metrics\n`);
    const target = { url: webhookUrl, secrets: env.secrets };

    progress.step(`Sentry: "TypeError: Cannot read properties of undefined (reading 'price')" fires an alert rule`);
    const alert = await sendSentryEventAlert(target);
    const alertTaskId = (alert.body as { taskId?: unknown } | undefined)?.taskId;
    if (alert.status !== 200 || typeof alertTaskId !== "string") throw new Error(`the Sentry webhook was not accepted: HTTP ${alert.status} ${JSON.stringify(alert.body)}`);
    taskId = alertTaskId;
    progress.done(`Signed Sentry event_alert accepted (HTTP ${alert.status}): task ${shortTaskId(taskId)} for ${demoNames.repo}`);
    const running: RunningDemo & { signal?: AbortSignal | undefined } = { environment: env, fixline, redis, taskId, dashboardUrl: `${webhookUrl}/`, signal: options.signal };
    progress.line(`  Watch it live: ${webhookUrl}/#/tasks/${taskId}`); // the dashboard routes in the fragment (issue 17: /tasks/<id> was a 404)

    progress.step("Planning: the agent reads the code and writes PLAN.md on a draft PR");
    const planned = await waitForState(running, progress, "awaiting_approval", stepTimeoutMs);
    const draft = env.github.state.pulls.find((p) => p.repo === demoNames.repo && p.number === planned.prNumber);
    progress.done(`Draft PR #${planned.prNumber} opened${draft?.draft ? " (draft)" : ""}: ${planned.prUrl ?? ""}`);
    const branch = remoteBranch({ gitDir: env.remote.path, branch: planned.branch ?? "", pathEnv: options.pathEnv });
    const plan = await branch.file("PLAN.md");
    progress.line(`  Branch ${planned.branch}, commit ${planned.planSha?.slice(0, 7) ?? "?"}`);
    progress.line(`  PLAN.md: ${plan.split("\n")[0]?.replace(/^#\s*/, "") ?? ""}`);
    progress.line(indent(markdownSection(plan, "Summary") ?? "(no summary)", "    "));
    progress.line(`  Slack: the plan is in #${demoNames.slackChannel} with Approve / Reject buttons\n`);

    progress.step(`GitHub: @${demoNames.maintainer} comments "@agent approve" on PR #${planned.prNumber}`);
    const approval = await sendGitHubComment(target, { prNumber: planned.prNumber ?? 0, body: "@agent approve" });
    const outcome = (approval.body as { outcome?: unknown } | undefined)?.outcome;
    if (approval.status !== 200 || outcome !== "command_applied") throw new Error(`the approval was not applied: HTTP ${approval.status} ${JSON.stringify(approval.body)}`);
    progress.done(`Signed issue_comment accepted: plan ${planned.planSha?.slice(0, 7) ?? "?"} approved by @${demoNames.maintainer} (write access checked)`);

    progress.step("Executing: red (a failing test, proven by the harness), then green (the fix, proven by the full suite)");
    const done = await waitForState(running, progress, "completed", stepTimeoutMs);
    const pr = env.github.state.pulls.find((p) => p.repo === demoNames.repo && p.number === done.prNumber);
    progress.done(`PR #${done.prNumber} is ready for review${pr && !pr.draft ? "" : " (still draft?)"}`);
    const elapsedMs = now() - startedAt;

    const commits = await branch.commits();
    const evidence = evidenceForTerminal(markdownSection(pr?.body ?? "", "Evidence") ?? "(no evidence section in the PR body)");
    const diff = await branch.diff({ exclude: ["PLAN.md"] });
    const runs = await listAgentRuns(fixline.db, taskId);
    const costUsd = runs.reduce((sum, run) => sum + run.costUsd, 0);

    progress.line("\nCommits on the PR branch:");
    for (const subject of commits) progress.line(`  • ${subject}`);
    progress.line("\nEvidence (from the PR body):");
    progress.line(indent(evidence));
    progress.line("\nDiff (PLAN.md omitted):");
    progress.line(indent(diff));
    progress.line("\nCost:");
    for (const run of runs) progress.line(`  ${run.phase.padEnd(10)} $${run.costUsd.toFixed(2)}  ${run.numTurns ?? "?"} turns`);
    progress.line(`  ${"total".padEnd(10)} $${costUsd.toFixed(2)}${env.agent.kind === "replay" ? "  (scripted by the replay agent; nothing was billed)" : ""}`);
    progress.line(`\nTotal time: ${(elapsedMs / 1000).toFixed(1)}s`);

    await options.beforeStop?.(running);
    if (options.keepUntil) {
      progress.line(`\nStill running for browsing: ${webhookUrl}/  (FIXLINE_API_TOKEN=${env.secrets.apiToken}). Press Ctrl-C to stop.`);
      await options.keepUntil;
    }
    return { agent: env.agent.kind, taskId, prNumber: done.prNumber ?? 0, prUrl: done.prUrl ?? "", branch: done.branch ?? "", commits, evidence, diff, costUsd, elapsedMs };
  } catch (error) {
    progress.fail(`Demo failed: ${(error as Error).message}`);
    throw error;
  } finally {
    progress.stop();
    out.write("Stopping Fixline and removing the demo database, queues and temp files…\n");
    await fixline?.stop(5_000).catch(() => {});
    if (redis && environment) await deleteKeysMatching(redis, `${environment.prefix}:*`, taskId ? [`task:${taskId}:output`] : []).catch(() => {});
    redis?.disconnect();
    await environment?.close();
  }
}
