import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { errorCodes, taskSources } from "@fixline/core";

/**
 * Every Fixline metric, defined once. Names follow Prometheus conventions: the `ai_agent_` prefix,
 * base units (seconds, USD), `_total` on counters, and labels with few values (never task ids or users).
 * Buckets sit at our objectives: webhook acks well under Sentry's 1 s deadline, agent phases in minutes.
 */
export function createMetrics(registry: Registry) {
  const registers = [registry];
  const ingestBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
  const phaseBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
  return {
    tasksStarted: new Counter({ name: "ai_agent_tasks_started_total", help: "Tasks created from a bug signal.", labelNames: ["source"] as const, registers }),
    tasksCompleted: new Counter({ name: "ai_agent_tasks_completed_total", help: "Tasks that reached an end state, by status.", labelNames: ["status"] as const, registers }),
    taskDuration: new Histogram({ name: "ai_agent_task_duration_seconds", help: "Time from task creation to its end state.", labelNames: ["status"] as const, buckets: [60, 300, 600, 1800, 3600, 7200, 21600, 86400], registers }),
    phaseDuration: new Histogram({ name: "ai_agent_phase_duration_seconds", help: "Time spent in each worker phase (setup, planning, red, green, verify).", labelNames: ["phase"] as const, buckets: phaseBuckets, registers }),
    queueLength: new Gauge({ name: "ai_agent_queue_length", help: "BullMQ jobs per queue and state (waiting, prioritized, active, delayed, failed).", labelNames: ["queue", "state"] as const, registers }),
    errors: new Counter({ name: "ai_agent_errors_total", help: "Errors by coded type.", labelNames: ["type"] as const, registers }),
    costUsd: new Counter({ name: "ai_agent_cost_usd_total", help: "Claude spend in US dollars, by phase.", labelNames: ["phase"] as const, registers }),
    tokens: new Counter({ name: "ai_agent_tokens_total", help: "Claude tokens by kind (input, output, cache_read, cache_creation).", labelNames: ["kind"] as const, registers }),
    approvals: new Counter({ name: "ai_agent_approvals_total", help: "Plan decisions by channel and decision.", labelNames: ["via", "decision"] as const, registers }),
    approvalWait: new Histogram({ name: "ai_agent_approval_wait_seconds", help: "Time a plan waited for a human decision.", buckets: [60, 300, 900, 1800, 3600, 14400, 86400], registers }),
    webhookDeliveries: new Counter({ name: "ai_agent_webhook_deliveries_total", help: "Webhook deliveries by source and outcome.", labelNames: ["source", "outcome"] as const, registers }),
    webhookIngest: new Histogram({ name: "ai_agent_webhook_ingest_seconds", help: "Time from request received to response sent, per source.", labelNames: ["source"] as const, buckets: ingestBuckets, registers }),
    executorsBusy: new Gauge({ name: "ai_agent_executors_busy", help: "Execution jobs running right now in this process.", registers }),
    jobs: new Counter({ name: "ai_agent_jobs_total", help: "Queue jobs processed, by queue and outcome.", labelNames: ["queue", "outcome"] as const, registers }),
    jobDuration: new Histogram({ name: "ai_agent_job_duration_seconds", help: "Queue job processing time.", labelNames: ["queue"] as const, buckets: [0.01, 0.1, 1, 10, 60, 300, 900, 1800, 3600], registers }),
    ingestBatchSize: new Histogram({ name: "ai_agent_ingest_batch_size", help: "Deliveries written per database commit (group commit at webhook ingest).", buckets: [1, 2, 4, 8, 16, 32, 64, 128], registers }),
    outboxRelayed: new Counter({ name: "ai_agent_outbox_relayed_total", help: "Outbox rows enqueued into BullMQ.", labelNames: ["queue"] as const, registers }),
    outboxPending: new Gauge({ name: "ai_agent_outbox_pending", help: "Outbox rows not yet enqueued (grows while Redis is down).", registers }),
    circuitOpen: new Gauge({ name: "ai_agent_circuit_open", help: "1 while a provider's circuit breaker is open or probing (issue 20: its outage pauses the queues instead of failing tasks), else 0.", labelNames: ["provider"] as const, registers }),
    claudeRuns: new Counter({ name: "ai_agent_claude_runs_total", help: "Claude CLI runs by phase and outcome (ok or an error code).", labelNames: ["phase", "outcome"] as const, registers }),
    // Issue 21, truth metrics: what became of the PRs. The repository label is bounded by FIXLINE_CONFIG repos ("other" otherwise).
    tasksMerged: new Counter({ name: "ai_agent_tasks_merged_total", help: "Completed tasks whose PR was merged, per repository.", labelNames: ["repository"] as const, registers }),
    tasksReverted: new Counter({ name: "ai_agent_tasks_reverted_total", help: "Merged fixes reverted on the default branch within the revert window, per repository.", labelNames: ["repository"] as const, registers }),
    tasksClosedUnmerged: new Counter({ name: "ai_agent_tasks_closed_unmerged_total", help: "Completed tasks whose PR was closed without merging, per repository.", labelNames: ["repository"] as const, registers }),
    readyToMerge: new Histogram({ name: "ai_agent_ready_to_merge_seconds", help: "Time from a PR marked ready (task completed) to its merge, per repository.", labelNames: ["repository"] as const, buckets: [300, 1800, 3600, 14400, 43200, 86400, 259200, 604800, 1209600], registers }),
    // Issue 21 item 2, the rest of the truth metrics, per configured repository ("other" otherwise).
    tasksPlanned: new Counter({ name: "ai_agent_tasks_planned_total", help: "Plans published for approval (draft PR with PLAN.md), per repository; a re-plan counts again.", labelNames: ["repository"] as const, registers }),
    tasksApproved: new Counter({ name: "ai_agent_tasks_approved_total", help: "Plans approved by a writer, per repository.", labelNames: ["repository"] as const, registers }),
    tasksProven: new Counter({ name: "ai_agent_tasks_proven_total", help: "Phases the harness proved, per repository: red (a new test fails by an assertion on the unfixed code) and green (the whole suite passes, reruns included).", labelNames: ["repository", "phase"] as const, registers }),
    executionsFinished: new Counter({ name: "ai_agent_executions_finished_total", help: "Executions of an approved plan that ended, per repository and status (completed or failed): the failure-rate alert's numerator and denominator.", labelNames: ["repository", "status"] as const, registers }),
    timeToDraftPr: new Histogram({ name: "ai_agent_time_to_draft_pr_seconds", help: "Time from task creation to its draft PR with PLAN.md (first plan only), per repository.", labelNames: ["repository"] as const, buckets: [60, 120, 300, 600, 900, 1800, 3600, 7200], registers }),
    timeToApproval: new Histogram({ name: "ai_agent_time_to_approval_seconds", help: "Time from the plan published to its approval, per repository.", labelNames: ["repository"] as const, buckets: [60, 300, 900, 1800, 3600, 14400, 43200, 86400, 259200], registers }),
    timeToReady: new Histogram({ name: "ai_agent_time_to_ready_seconds", help: "Time from task creation to its PR marked ready with proof (completed), per repository.", labelNames: ["repository"] as const, buckets: [300, 900, 1800, 3600, 7200, 14400, 43200, 86400, 259200], registers }),
    mergedFixCostUsd: new Counter({ name: "ai_agent_merged_fix_cost_usd_total", help: "What merged fixes cost in all (planning and execution), per repository; divided by ai_agent_tasks_merged_total it is dollars per merged fix.", labelNames: ["repository"] as const, registers }),
    budgetPauses: new Counter({ name: "ai_agent_budget_pauses_total", help: "Executions paused in waiting_budget at 80% of the execution budget granted with the approval, per repository.", labelNames: ["repository"] as const, registers }),
    notifications: new Counter({ name: "ai_agent_notifications_total", help: "Messages to Slack, Jira, GitHub, Sentry and hooks, by channel and outcome.", labelNames: ["channel", "outcome"] as const, registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const webhookSources = ["github", "sentry", "jira", "slack"] as const;
const webhookOutcomes = ["accepted", "duplicate", "ignored", "rejected", "unavailable", "error"] as const;

/**
 * Exports every known label set at 0 from the start. Prometheus's increase() and rate() cannot see the
 * first increment of a series they have never scraped, so without this the first failure of a kind, or
 * the first task from a source, would not show on the dashboard or trip an alert.
 */
export function initializeLabelSets(m: Metrics): void {
  for (const source of taskSources) m.tasksStarted.inc({ source }, 0);
  for (const status of ["completed", "failed", "rejected", "cancelled"]) m.tasksCompleted.inc({ status }, 0);
  for (const type of Object.keys(errorCodes)) m.errors.inc({ type }, 0);
  for (const source of webhookSources) for (const outcome of webhookOutcomes) m.webhookDeliveries.inc({ source, outcome }, 0);
  for (const via of ["github", "slack", "api", "dashboard", "cli"]) for (const decision of ["approve", "reject", "budget"]) m.approvals.inc({ via, decision }, 0);
}

/**
 * Issue 21: the outcome series per configured repository (and "other") at 0, so the first merge or revert
 * of a repository is seen by increase() and the revert-rate alert.
 */
export function initializeRepositoryLabelSets(m: Metrics, repos: readonly string[]): void {
  for (const repository of [...repos, "other"]) {
    m.tasksMerged.inc({ repository }, 0);
    m.tasksReverted.inc({ repository }, 0);
    m.tasksClosedUnmerged.inc({ repository }, 0);
    m.budgetPauses.inc({ repository }, 0);
    m.tasksPlanned.inc({ repository }, 0);
    m.tasksApproved.inc({ repository }, 0);
    for (const phase of ["red", "green"]) m.tasksProven.inc({ repository, phase }, 0);
    for (const status of ["completed", "failed"]) m.executionsFinished.inc({ repository, status }, 0);
    m.mergedFixCostUsd.inc({ repository }, 0);
  }
}

/** The process-wide registry every role in this process reports to. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "ai_agent_process_" });
export const metrics: Metrics = createMetrics(registry);
initializeLabelSets(metrics);

/** Names and labels of every ai_agent_ metric, for the PromQL cross-check in infrastructure tests. */
export async function describeMetrics(): Promise<Array<{ name: string; type: string; labels: string[] }>> {
  const json = await registry.getMetricsAsJSON();
  return json.map((m) => {
    const labels = new Set<string>();
    for (const v of m.values as Array<{ labels: Record<string, unknown> }>) for (const l of Object.keys(v.labels)) labels.add(l);
    return { name: m.name, type: String(m.type), labels: [...labels] };
  });
}
