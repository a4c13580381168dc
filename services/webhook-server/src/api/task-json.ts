import type { AgentRunJson, TaskEventJson, TaskJson } from "@fixline/core";
import type { AgentRunRecord, TaskEventRecord, TaskRecord } from "@fixline/db";

/**
 * A task as the API shows it. The Slack response_url is a capability to post into a channel, so it never
 * leaves the server; everything else a person needs to judge the task is here.
 */
export function taskJson(task: TaskRecord, waitingFor: string | null = null): TaskJson {
  return {
    id: task.id,
    shortId: task.id.replace(/-/g, "").slice(0, 8),
    source: task.source,
    sourceKey: task.sourceKey,
    repo: task.repo,
    title: task.title,
    state: task.state,
    requester: task.requester ? withoutResponseUrl(task.requester) : null,
    branch: task.branch,
    prNumber: task.prNumber,
    prUrl: task.prUrl,
    planSha: task.planSha,
    feedback: task.feedback,
    occurrences: task.occurrences,
    costUsd: task.costUsd,
    errorCode: task.errorCode,
    errorMessage: task.errorMessage,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
    lastSeenAt: task.lastSeenAt.toISOString(),
    planReadyAt: task.planReadyAt?.toISOString() ?? null,
    endedAt: task.endedAt?.toISOString() ?? null,
    /** Issue 21: what became of the PR after completed (merged, closed_unmerged, reverted), or null while open. */
    outcome: task.outcome,
    outcomeAt: task.outcomeAt?.toISOString() ?? null,
    mergedAt: task.mergedAt?.toISOString() ?? null,
    revertedBy: task.revertedBy,
    /** Why the task is not moving, when its pool has no worker (issue 20): "waiting for a `python` executor: ...". */
    waitingFor,
  };
}

function withoutResponseUrl({ responseUrl: _responseUrl, ...requester }: NonNullable<TaskRecord["requester"]>): TaskJson["requester"] {
  return requester;
}

export function eventJson(event: TaskEventRecord): TaskEventJson {
  return { ...event, createdAt: event.createdAt.toISOString() };
}

export function runJson(run: AgentRunRecord): AgentRunJson {
  return {
    id: run.id,
    phase: run.phase,
    status: run.status,
    model: run.model,
    numTurns: run.numTurns,
    costUsd: run.costUsd,
    tokens: { input: run.inputTokens, output: run.outputTokens, cacheRead: run.cacheReadTokens, cacheCreation: run.cacheCreationTokens },
    durationMs: run.durationMs,
    exitCode: run.exitCode,
    errorCode: run.errorCode,
    errorMessage: run.errorMessage,
    resultText: run.resultText,
    startedAt: run.startedAt.toISOString(),
    endedAt: run.endedAt?.toISOString() ?? null,
  };
}
