export { createDb, migrateToLatest, pingDb, isDbUnavailable, type FixlineDb, type CreateDbOptions } from "./create-db";
export type { Database, TaskRow, TaskEventRow, ApprovalRow, AgentRunRow, OutboxRow } from "./schema";
export {
  getTask,
  requireTask,
  findTaskByIdPrefix,
  findTaskByPullRequest,
  findTaskBySourceKey,
  listTaskRepos,
  hasLiveTask,
  listTaskStates,
  taskCreatedAtText,
  listTasks,
  updateTaskFields,
  listTaskEvents,
  appendTaskEvent,
  appendWouldHaveSent,
  type WouldHaveSent,
  toTask,
  type TaskRecord,
  type TaskOutcome,
  type ListTasksFilter,
  type TaskFieldUpdate,
  type TaskEventRecord,
  type DbOrTrx,
} from "./task-repository";
export { transition, transitionWith, type TransitionRequest, type TransitionPrepared } from "./transition";
export { approvePlan, type ApprovePlanRequest } from "./approve-plan";
export { ingestSignal, recordDelivery, type IngestSignalRequest, type IngestOutcome, type DeliveryKey } from "./ingest-signal";
export { setDeliveryOutcome, forgetDelivery } from "./delivery-repository";
export { ingestBatchStatement, type IngestBatchResult } from "./ingest-batch-statement";
export { createOutboxSender, type OutboxSender, type OutboxSenderOptions } from "./outbox-send";
export { createIngestBatcher, type IngestBatcher, type IngestBatcherOptions } from "./ingest-batcher";
export { recordApproval, currentApproval, getApproval, voidApprovals, type ApprovalRecord } from "./approval-repository";
export { recordBudgetGrant, listBudgetGrants, grantedBudgetUsd, executionSpentUsd, type BudgetGrantKind, type BudgetGrantRecord } from "./budget-grant-repository";
export { openAgentRun, closeAgentRun, taskSpentUsd, repoSpentTodayUsd, listAgentRuns, type AgentRunResult, type AgentRunRecord } from "./agent-run-repository";
export { wasNotified, markNotified } from "./notification-repository";
export { insertOutboxJobs, signalOutbox, outboxSignal, outboxChannel, type CommittedJob } from "./outbox";
export { startWakeLoop, type WakeLoop, type WakeLoopOptions } from "./wake-loop";
export { dispatchTaskEvents, type DispatchTaskEventsRequest, type UndispatchedTaskEvent } from "./dispatch-task-events";
export { startOutboxRelay, countPendingOutbox, type OutboxRelay, type OutboxRelayOptions, type RelayWakeMode } from "./outbox-relay";
export { createSession, findLiveSession, revokeSession, revokeSessionsOf, hashSecret, type SessionRecord, type SessionKind } from "./session-repository";
export { createApiToken, useApiToken, listApiTokens, revokeApiToken, type ApiTokenRecord } from "./api-token-repository";
export type { UserSessionsTable, ApiTokensTable } from "./schema";
export { baseRunKey, findBaseRun, recordBaseRun, pruneBaseRuns, type BaseRunKey, type BaseRunRecord } from "./base-run-repository";
export { recordMerged, recordClosedUnmerged, recordReverted, listRevertCandidates, listTasksAwaitingOutcome, outcomeRepoLabel, type OutcomeOptions } from "./outcome-repository";
