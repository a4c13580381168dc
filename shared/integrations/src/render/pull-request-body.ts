import { escapeMarkdown, sanitizeMarkdownBlock } from "./escape-markdown";
import { renderEvidenceTable } from "./evidence-table";
import { formatUsd } from "./format-numbers";
import type { Evidence, TaskSources } from "./render-types";

export interface PullRequestBodyInput {
  taskId: string;
  title: string;
  sources: TaskSources;
  /** The plan's summary from PLAN.md (agent-written markdown). */
  planSummary: string;
  costUsd: number;
  /** Link to the task in the dashboard. */
  taskUrl?: string;
  evidence?: Evidence;
}

/** Marks a pull request as Fixline's and names its task; webhooks read it back with taskIdFromPullRequestBody. */
export function taskMarker(taskId: string): string {
  return `<!-- fixline:task=${taskId.replace(/[^A-Za-z0-9-]/g, "")} -->`;
}

/** The task id from a PR body Fixline wrote, or undefined for anyone else's PR. */
export function taskIdFromPullRequestBody(body: string | null | undefined): string | undefined {
  return body ? /<!-- fixline:task=([A-Za-z0-9-]+) -->/.exec(body)?.[1] : undefined;
}

function safeUrl(url: string | null | undefined): string | undefined {
  return url && /^https?:\/\//.test(url) ? url.replace(/[()\s]/g, (c) => encodeURIComponent(c)) : undefined;
}

function sourceLines(sources: TaskSources): string[] {
  const lines: string[] = [];
  if (sources.sentry) {
    const label = escapeMarkdown(sources.sentry.shortId ?? sources.sentry.issueId);
    const url = safeUrl(sources.sentry.permalink);
    lines.push(`- Sentry: ${url ? `[${label}](${url})` : label}`);
  }
  if (sources.jira) {
    const label = escapeMarkdown(sources.jira.key);
    const url = safeUrl(sources.jira.url);
    lines.push(`- Jira: ${url ? `[${label}](${url})` : label}`);
  }
  // "Fixes #n" closes the issue when the fix is merged.
  if (sources.github) lines.push(`- GitHub: Fixes #${sources.github.issueNumber}`);
  if (sources.slack) {
    const who = sources.slack.userName ?? sources.slack.userId;
    lines.push(`- Slack: requested by ${who ? escapeMarkdown(who) : "a Slack user"}`);
  }
  return lines.length > 0 ? lines : ["- Created by hand"];
}

/**
 * The draft PR's description: where the bug came from, the plan in brief, what it cost, and exactly how
 * to approve, reject or retry. Untrusted text is escaped; the hidden task marker identifies the PR.
 */
export function renderPullRequestBody(input: PullRequestBodyInput): string {
  const summary = sanitizeMarkdownBlock(input.planSummary);
  const lines = [
    `## Fixline: ${escapeMarkdown(input.title)}`,
    "",
    "### Sources",
    ...sourceLines(input.sources),
    "",
    "### Plan",
    summary === "" ? "_No summary; see PLAN.md._" : summary,
    "",
    "The full plan is in `PLAN.md` on this branch. Nothing is changed until it is approved.",
    "",
    "### Cost so far",
    formatUsd(input.costUsd),
    "",
    "### What next",
    "People with write access to this repository can comment:",
    "- `@agent approve [extra instructions]`: run the test-first fix for this plan",
    "- `@agent reject <feedback>`: re-plan on this PR with your feedback",
    "- `@agent retry`: retry the last failed step",
    "- `@agent cancel`: stop this task",
  ];
  if (input.evidence) lines.push("", renderEvidenceTable(input.evidence));
  const taskLink = safeUrl(input.taskUrl);
  lines.push("", "---", `Task \`${input.taskId.replace(/`/g, "")}\`${taskLink ? ` · [live log and history](${taskLink})` : ""}`, "", taskMarker(input.taskId));
  return lines.join("\n");
}
