export { createPlanningWorker } from "./create-planning-worker";
export { runPlanning, taskSourcesOf, type PlanningResult } from "./run-planning";
export type { PlanningDeps } from "./planning-deps";
export { buildPlanningPrompt, buildRepairPrompt, formatSentry, type PlanningPromptInput } from "./build-planning-prompt";
export { gatherContext, linkedSentryIssueIds, type PlanningContext, type SentryFacts, type ContextFrame } from "./gather-context";
export { planningAllowedTools, planningSkills } from "./planning-tools";
export { cancelChannel } from "./cancel-channel";
export { failTask } from "./fail-task";
