import type { Logger, SentryFacts, SentryFrame } from "@fixline/core";
import type { TaskRecord } from "@fixline/db";
import type { GitHubClient, JiraClient, SentryClient } from "@fixline/integrations";

/**
 * The Sentry facts the prompt shows: the one Sentry shape (issue 18) with frames and tags always present,
 * and where they came from: the API's latest event, or only what the webhook carried.
 */
export type PlanningSentry = SentryFacts & { frames: SentryFrame[]; tags: Record<string, string>; origin: "api" | "webhook" };

/** Everything known about the bug, all of it untrusted text for the prompt. */
export interface PlanningContext {
  sentry?: PlanningSentry | undefined;
  jira?: { key: string; summary: string; description: string; url?: string | undefined; reporter?: string | undefined } | undefined;
  /** Sentry issues the Jira ticket links to (issue 11: Jira enrichment), with their latest events. */
  linkedSentry: PlanningSentry[];
  slack?: { text: string; requester: string } | undefined;
  github?: { number: number; title: string; body: string; url?: string | undefined; author?: string | undefined } | undefined;
  description?: string | undefined;
}

export interface GatherDeps {
  github?: GitHubClient | undefined;
  jira?: JiraClient | undefined;
  sentry?: SentryClient | undefined;
  logger: Logger;
}

/** `https://acme.sentry.io/issues/123/`, `https://sentry.io/organizations/acme/issues/123/`, self-hosted alike. */
const sentryIssueUrl = /https?:\/\/[^\s/)>\]]*sentry[^\s/)>\]]*\/(?:organizations\/[^/\s]+\/)?issues\/(\d+)/gi;

export function linkedSentryIssueIds(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(sentryIssueUrl), (m) => m[1] as string))];
}

/** Optional enrichment: an outside API failing must not stop planning, it only means less context. */
async function optional<T>(what: string, logger: Logger, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    logger.warn({ what, err: (error as Error).message }, "could not fetch context; planning with what the webhook carried");
    return undefined;
  }
}

async function sentryFromApi(issueId: string, sentry: SentryClient, logger: Logger): Promise<PlanningSentry | undefined> {
  const [issue, event] = await Promise.all([
    optional(`Sentry issue ${issueId}`, logger, () => sentry.getIssue(issueId)),
    optional(`Sentry latest event of ${issueId}`, logger, () => sentry.getLatestEvent(issueId)),
  ]);
  if (!issue && !event) return undefined;
  return {
    issueId,
    shortId: issue?.shortId,
    title: issue?.title,
    permalink: issue?.permalink,
    culprit: issue?.culprit,
    level: issue?.level,
    count: issue?.count,
    userCount: issue?.userCount,
    errorType: event?.errorType,
    errorValue: event?.errorValue,
    frames: event?.frames ?? [],
    tags: event?.tags ?? {},
    release: event?.release,
    origin: "api",
  };
}

/**
 * Collects the bug's context from every source the task has: the Sentry API when configured (else the
 * webhook's payload), the Jira issue, Sentry issues linked from it, the Slack request, the GitHub issue.
 */
export async function gatherContext(task: TaskRecord, deps: GatherDeps): Promise<PlanningContext> {
  const { logger } = deps;
  const context: PlanningContext = { linkedSentry: [] };
  const s = task.context.sentry;
  if (s) {
    const fromWebhook: PlanningSentry = { ...s, title: task.title, permalink: s.permalink ?? undefined, frames: s.frames ?? [], tags: {}, origin: "webhook" };
    const api = deps.sentry ? await sentryFromApi(s.issueId, deps.sentry, logger) : undefined;
    context.sentry = api
      ? {
          ...fromWebhook,
          ...Object.fromEntries(Object.entries(api).filter(([, v]) => v !== undefined)),
          frames: api.frames.length > 0 ? api.frames : fromWebhook.frames,
          origin: "api",
        }
      : fromWebhook;
  }

  const j = task.context.jira;
  if (j) {
    const fresh = deps.jira ? await optional(`Jira issue ${j.key}`, logger, () => deps.jira!.getIssue(j.key)) : undefined;
    context.jira = {
      key: j.key,
      summary: fresh?.summary ?? j.summary ?? task.title,
      description: fresh?.descriptionText ?? j.descriptionText ?? "",
      url: fresh?.url ?? j.url,
      reporter: fresh?.reporter ?? j.reporter,
    };
    if (deps.sentry) {
      const ids = linkedSentryIssueIds(context.jira.description).filter((id) => id !== s?.issueId).slice(0, 3);
      for (const id of ids) {
        const linked = await sentryFromApi(id, deps.sentry, logger);
        if (linked) context.linkedSentry.push(linked);
      }
    }
  }

  const slack = task.context.slack;
  if (slack) context.slack = { text: slack.text, requester: slack.userName ?? slack.userId };

  const g = task.context.github;
  if (g) {
    const fresh = deps.github ? await optional(`GitHub issue #${g.issueNumber}`, logger, () => deps.github!.getIssue(task.repo, g.issueNumber)) : undefined;
    // The text that triggered the task wins over today's (issue 16): an edit after the fact must not change
    // the prompt silently; the webhook records it on the task's timeline for a person to decide.
    const snapshot = g.body !== undefined || g.title !== undefined;
    context.github = {
      number: g.issueNumber,
      title: snapshot ? (g.title ?? task.title) : (fresh?.title ?? task.title),
      body: snapshot ? (g.body ?? "") : (fresh?.body ?? ""),
      url: fresh?.url ?? g.url,
      author: fresh?.author ?? g.author,
    };
    if (snapshot && fresh && (fresh.body ?? "") !== (g.body ?? "")) logger.warn({ issue: g.issueNumber }, "the GitHub issue was edited after the task was created; planning uses the original text");
  }
  if (task.context.description) context.description = task.context.description;
  return context;
}
