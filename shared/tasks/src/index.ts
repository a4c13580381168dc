// Task commands: the human decisions about a task (approve, reject, retry, cancel) and who may make them,
// applied the same way whichever door they came through (PR comment, Slack, REST API, CLI). Issue 18 moved
// them here from the webhook server so the API and the CLI share them without importing an HTTP service.
export {
  applyTaskCommand,
  parseAgentComment,
  type PermissionChecker,
  type TaskCommand,
  type TaskCommandDeps,
  type TaskCommandOutcome,
} from "./task-commands";
