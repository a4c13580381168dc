import type { Channel, NotifyRequest } from "../notify-types";
import { eventText } from "../event-text";
import { failureComment } from "../failure-comment";

const onPullRequest = new Set(["failed", "cancelled", "command_refused", "command_ack", "budget_needed"]);
const onIssue = new Set(["task_received", "plan_ready", "failed", "cancelled"]);

/** Markers may hold only letters, digits and `:._/-`. */
function markerFor(request: NotifyRequest): string {
  return `notify/${request.event}/${request.key.replace(/[^A-Za-z0-9:._/-]/g, "-")}`;
}

function githubText(request: NotifyRequest): string {
  const { task } = request;
  if (request.event === "command_refused") return `${request.details.login ? `@${request.details.login} ` : ""}${eventText(task, request)}`;
  if (request.event === "failed" && task.prNumber !== null) return failureComment(task, request.details);
  if (request.event === "plan_ready" && task.prUrl) return `Fixline wrote a fix plan for this issue: ${task.prUrl}. Review PLAN.md there and comment \`@agent approve\` to run the fix.`;
  return eventText(task, request);
}

/**
 * A comment on the task's pull request (failures, cancellations, refused commands), or on the GitHub issue
 * the task came from while there is no pull request. One comment per announcement, found again by its marker.
 */
export const githubChannel: Channel = (request, deps) => {
  const { github } = deps;
  if (!github) return undefined;
  const { task, event } = request;
  let number: number | undefined;
  if (task.prNumber !== null && onPullRequest.has(event)) number = task.prNumber;
  else if (task.context.github && onIssue.has(event) && (task.prNumber === null || event === "plan_ready")) number = task.context.github.issueNumber;
  if (number === undefined) return undefined;
  const target = number;
  const body = githubText(request);
  return {
    channel: "github",
    target: `${task.repo}#${target}`,
    text: body,
    async send() {
      return String((await github.ensureComment(task.repo, target, markerFor(request), body)).id);
    },
  };
};
