export { createPlanningWorker } from "./create-planning-worker";
export { runPlanning, taskSourcesOf, type PlanningResult } from "./run-planning";
export { detectPlanningEnvironment, withEnvironmentNotes, environmentNotesHeading } from "./plan-environment";
export { recordDryRun } from "./record-dry-run";
export type { PlanningDeps } from "./planning-deps";
export { buildPlanningPrompt, buildRepairPrompt, formatSentry, type PlanningPromptInput, type PlanningEnvironmentFacts } from "./build-planning-prompt";
export { gatherContext, linkedSentryIssueIds, type PlanningContext, type PlanningSentry } from "./gather-context";
export { planningAllowedTools, planningSkills } from "./planning-tools";
export { failTask } from "./fail-task";
