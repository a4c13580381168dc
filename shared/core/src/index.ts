export { errorCodes, type ErrorCode } from "./errors/error-codes";
export { FixlineError, isFixlineError, toFixlineError } from "./errors/fixline-error";
export { outageProvider, outageProviders, type OutageProvider } from "./errors/outage-provider";
export { createLogger, silentLogger, redactedPaths, type Logger, type CreateLoggerOptions } from "./logger/create-logger";
export { createRedactor, redactedMarker, minimumSecretLength, type Redactor } from "./redact/create-redactor";
export { configuredSecrets, redactorFor } from "./redact/configured-secrets";
export { redactCalls } from "./redact/redact-calls";
export { tokenShapes } from "./redact/token-shapes";
export { loadConfig, secretVariables, claudeAuthVariables, type Config, type LoadConfigOptions, type SandboxConfig } from "./config/load-config";
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
export { shortTaskId, slugify, taskBranchName } from "./domain/short-task-id";
export { sanitizeUntrusted, fenceUntrusted } from "./domain/untrusted-text";
export { parsePlan, type ParsedPlan } from "./plan/parse-plan";
export { validatePlan, type PlanValidation } from "./plan/validate-plan";
export { requiredPlanSections, planFile, type PlanSection } from "./plan/plan-sections";
