import { adf, completedJiraComment, failedJiraComment, planReadyJiraComment, type AdfDoc } from "@fixline/integrations";
import { eventText, failureOf } from "../event-text";
import type { Channel, NotifyRequest } from "../notify-types";
import { planFactsOf } from "../plan-facts";
import { evidenceOf } from "./slack-channel";

function jiraComment(request: NotifyRequest): AdfDoc | undefined {
  const { task, event, details } = request;
  switch (event) {
    case "plan_ready": {
      if (!task.prUrl) return undefined;
      const plan = planFactsOf(task);
      const test = plan?.failingTest ?? {};
      return planReadyJiraComment({
        taskId: task.id,
        rootCause: plan?.rootCause || "see PLAN.md on the pull request",
        affectedFiles: plan?.affectedFiles ?? [],
        test: { name: test.name ?? "see PLAN.md", ...(test.file ? { file: test.file } : {}), ...(test.asserts ? { description: test.asserts } : {}) },
        prUrl: task.prUrl,
        costUsd: task.costUsd,
      });
    }
    case "completed":
      return task.prUrl ? completedJiraComment({ taskId: task.id, prUrl: task.prUrl, evidence: evidenceOf(task.evidence) }) : undefined;
    case "failed": {
      const failure = failureOf(task, details);
      return failedJiraComment({ taskId: task.id, code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}), ...(task.prUrl ? { prUrl: task.prUrl } : {}) });
    }
    case "cancelled":
    case "plan_rejected":
      return adf.doc(adf.paragraph(eventText(task, request)), adf.paragraph(adf.text(`Fixline task ${task.id}`, [{ type: "em" }])));
    default:
      return undefined;
  }
}

/** A comment on the task's Jira issue: the analysis and PR link when the plan is ready, the outcome later. */
export const jiraChannel: Channel = (request, deps) => {
  const { jira } = deps;
  const key = request.task.context.jira?.key;
  if (!jira || !key) return undefined;
  const body = jiraComment(request);
  if (!body) return undefined;
  return {
    channel: "jira",
    target: key,
    text: eventText(request.task, request),
    async send() {
      return (await jira.addComment(key, body)).id || null;
    },
  };
};

/** The configured workflow move: `jiraTransitionOnPlan` when the plan is ready, `jiraTransitionOnDone` when fixed. */
export const jiraTransitionChannel: Channel = (request, deps) => {
  const { jira, config } = deps;
  const key = request.task.context.jira?.key;
  const name =
    request.event === "plan_ready" ? config.file.defaults.jiraTransitionOnPlan : request.event === "completed" ? config.file.defaults.jiraTransitionOnDone : undefined;
  if (!jira || !key || !name) return undefined;
  return {
    channel: "jira_transition",
    target: key,
    text: `transition ${key} to "${name}"`,
    async send() {
      await jira.transition(key, name);
      return name;
    },
  };
};
