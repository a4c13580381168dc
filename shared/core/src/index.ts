export { errorCodes, type ErrorCode } from "./errors/error-codes";
export { FixlineError, isFixlineError, toFixlineError } from "./errors/fixline-error";
export { outageProvider, outageProviders, type OutageProvider } from "./errors/outage-provider";
export { createLogger, silentLogger, redactedPaths, type Logger, type CreateLoggerOptions } from "./logger/create-logger";
export { createRedactor, redactedMarker, minimumSecretLength, type Redactor } from "./redact/create-redactor";
export { configuredSecrets, secretValues, redactorFor } from "./redact/configured-secrets";
export { redactCalls } from "./redact/redact-calls";
export { tokenShapes } from "./redact/token-shapes";
export { loadConfig, configSchema, parseSentinels, settingVariables, secretVariables, claudeAuthVariables, type Config, type LoadConfigOptions, type RedisConnectionConfig, type SandboxConfig } from "./config/load-config";
export { mcpVariablePattern } from "./config/mcp-template";
export { fixlineFileSchema, repoSettingsSchema, hookSchema, hookEvents, defaultProtectedPaths, poolName, type FixlineFile, type RepoSettings, type HookConfig } from "./config/fixline-file-schema";
export { networkVariables, pickNetworkEnv } from "./config/network-env";
export { repoSettings, type EffectiveRepoSettings } from "./config/repo-settings";
export { poolOf, configuredPools, defaultPool } from "./config/repo-pool";
export { taskStates, finalStates, liveStates, taskSources, agentPhases, type TaskState, type TaskSource, type AgentPhase } from "./domain/task-state";
export type { TaskEvent, TaskEventType, Actor } from "./domain/task-event";
export { transitionTask, type TransitionResult, type TransitionContext } from "./domain/transition-task";
export type { Task, Requester } from "./domain/task";
export { taskContextSchema, type TaskContext } from "./contracts/task-context";
export { requesterSchema } from "./contracts/requester";
export { planFactsSchema, planDataSchema, dryRunPullRequestSchema, type PlanFacts, type PlanData, type DryRunPullRequest } from "./contracts/plan-data";
export {
  executionStateSchema,
  executionStateKeys,
  storedRunSchema,
  fileFingerprintsSchema,
  type ExecutionState,
  type StoredRun,
  type FileFingerprints,
} from "./contracts/execution-state";
export {
  redEvidenceSchema,
  greenEvidenceSchema,
  phaseUsageSchema,
  evidenceSchema,
  executionEvidenceSchema,
  storedEvidenceSchema,
  testRunsNoteSchema,
  type RedEvidence,
  type GreenEvidence,
  type PhaseUsage,
  type Evidence,
  type ExecutionEvidence,
  type StoredEvidence,
  type TestRunsNote,
} from "./contracts/evidence";
export { wouldHaveSentSchema, dryRunLogSchema, type WouldHaveSent, type DryRunLog } from "./contracts/dry-run-log";
export { taskDataSchema, taskDataPatchSchema, type TaskData, type TaskDataPatch } from "./contracts/task-data";
export { readStored } from "./contracts/read-stored";
export { dryRunPrNumber, hasPullRequest, isDryRunPlan } from "./contracts/dry-run-pull-request";
export { sentryFactsSchema, sentryFrameSchema, type SentryFacts, type SentryFrame, type SentryIssueFacts, type SentryEventFacts } from "./domain/sentry-facts";
export { shortTaskId, slugify, taskBranchName } from "./domain/short-task-id";
export { sanitizeUntrusted, fenceUntrusted } from "./domain/untrusted-text";
export { parsePlan, type ParsedPlan } from "./plan/parse-plan";
export { validatePlan, type PlanValidation } from "./plan/validate-plan";
export { requiredPlanSections, planFile, type PlanSection } from "./plan/plan-sections";
// The REST API's contract (issue 18): the server validates with these and documents them, the CLI types its client with them.
export { apiErrorSchema, apiError, type ApiError } from "./api-contract/api-error-schema";
export {
  taskSchema,
  taskEventSchema,
  agentRunSchema,
  taskDetailSchema,
  taskPageSchema,
  createdTaskSchema,
  taskActionResultSchema,
  taskOutcomes,
  taskBudgetSchema,
  type TaskBudgetJson,
  type TaskJson,
  type TaskEventJson,
  type AgentRunJson,
  type TaskDetail,
  type TaskPage,
  type CreatedTask,
  type TaskActionResult,
} from "./api-contract/task-schemas";
export {
  taskIdParams,
  listTasksQuery,
  createTaskBody,
  idempotencyKeyHeader,
  taskActionBodies,
  taskActions,
  taskStreamQuery,
  type ListTasksQuery,
  type CreateTaskBody,
  type TaskAction,
  type TaskActionBody,
} from "./api-contract/task-requests";
export { outputItemSchema, outputEventSchema, streamStateEventSchema, type OutputItem, type OutputEvent, type StreamStateEvent } from "./api-contract/task-output-schemas";
export { sessionBody, sessionSchema, operatorSignInSchema, type SessionJson } from "./api-contract/session-schemas";
export { createApiTokenBody, apiTokenSchema, createdApiTokenSchema, apiTokenListSchema, apiTokenIdParams, type ApiTokenJson } from "./api-contract/token-schemas";
export { workspaceSchema, workspaceTaskIdParams, type WorkspaceJson } from "./api-contract/workspace-schemas";
export { statusSchema, type StatusJson } from "./api-contract/status-schema";
export { costEstimateHeading, costEstimateMethod, estimateExecutionCost, formatUsd, planCostEstimateUsd, renderCostEstimate, withCostEstimate, type CostEstimate } from "./plan/cost-estimate";
export { budgetPauseRatio, budgetTopUpUsd, maxBudgetGrantUsd, parseBudgetAmount, type BudgetRequest } from "./plan/budget-amount";
