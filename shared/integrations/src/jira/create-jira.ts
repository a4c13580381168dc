import { FixlineError, redactorFor, type Config, type Logger } from "@fixline/core";
import { requestJson } from "../http/request-json";
import type { AdfDoc } from "./adf";
import { adfToText } from "./adf-to-text";

export interface JiraIssue {
  key: string;
  id: string;
  summary: string;
  /** The description as Jira stores it (ADF). */
  description: unknown;
  /** The description rendered to plain text; still untrusted. */
  descriptionText: string;
  status: string;
  issueType: string | undefined;
  projectKey: string | undefined;
  reporter: string | undefined;
  labels: string[];
  /** The browse URL people click. */
  url: string;
}

export interface JiraClient {
  getIssue(key: string): Promise<JiraIssue>;
  addComment(key: string, body: AdfDoc): Promise<{ id: string }>;
  /**
   * Moves the issue through the transition called `transitionName` (or leading to that status),
   * matched case-insensitively. Already being in that status is success, so a retried job is harmless.
   */
  transition(key: string, transitionName: string): Promise<{ transitioned: boolean }>;
  myself(): Promise<{ accountId: string; displayName: string; emailAddress: string | undefined }>;
  issueUrl(key: string): string;
}

interface RawIssue {
  id: string;
  key: string;
  fields: {
    summary?: string;
    description?: unknown;
    status?: { name?: string };
    issuetype?: { name?: string };
    project?: { key?: string };
    reporter?: { displayName?: string };
    labels?: string[];
  };
}

/** Jira Cloud REST v3 with basic auth (email + API token). Returns undefined when JIRA_BASE_URL is unset. */
export function createJira(config: Config, logger: Logger): JiraClient | undefined {
  const { baseUrl, email, apiToken } = config.jira;
  if (!baseUrl || !email || !apiToken) return undefined;
  const log = logger.child({ integration: "jira" });
  const root = baseUrl.replace(/\/+$/, "");
  const redactor = redactorFor(config);
  const authorization = `Basic ${Buffer.from(`${email}:${apiToken}`).toString("base64")}`;

  function path(key: string, suffix = ""): string {
    return `/rest/api/3/issue/${encodeURIComponent(key)}${suffix}`;
  }

  function send<T>(method: "GET" | "POST", apiPath: string, body?: unknown): Promise<T | undefined> {
    return requestJson<T>({ service: "Jira", operation: `${method} ${apiPath}`, url: `${root}${apiPath}`, method, headers: { authorization }, body, redactor });
  }

  async function getIssue(key: string): Promise<JiraIssue> {
    const raw = await send<RawIssue>("GET", `${path(key)}?fields=summary,description,status,issuetype,project,reporter,labels`);
    if (!raw) throw new FixlineError("INTEGRATION_FAILED", `Jira GET ${path(key)} returned an empty body`, { retryable: true });
    const fields = raw.fields;
    return {
      key: raw.key,
      id: raw.id,
      summary: fields.summary ?? "",
      description: fields.description ?? null,
      descriptionText: adfToText(fields.description),
      status: fields.status?.name ?? "",
      issueType: fields.issuetype?.name,
      projectKey: fields.project?.key,
      reporter: fields.reporter?.displayName,
      labels: fields.labels ?? [],
      url: `${root}/browse/${raw.key}`,
    };
  }

  return {
    getIssue,

    async addComment(key, body) {
      const created = await send<{ id: string }>("POST", path(key, "/comment"), { body });
      log.info({ key, commentId: created?.id }, "added Jira comment");
      return { id: created?.id ?? "" };
    },

    async transition(key, transitionName) {
      const wanted = transitionName.trim().toLowerCase();
      const listed = await send<{ transitions: Array<{ id: string; name: string; to?: { name?: string } }> }>("GET", path(key, "/transitions"));
      const transitions = listed?.transitions ?? [];
      const match =
        transitions.find((t) => t.name.toLowerCase() === wanted) ?? transitions.find((t) => (t.to?.name ?? "").toLowerCase() === wanted);
      if (!match) {
        const issue = await getIssue(key);
        if (issue.status.toLowerCase() === wanted) return { transitioned: false };
        throw new FixlineError(
          "INTEGRATION_REJECTED",
          `Jira issue ${key} has no transition named "${transitionName}" from status "${issue.status}" (available: ${transitions.map((t) => t.name).join(", ") || "none"})`,
          { details: { service: "Jira", operation: `POST ${path(key, "/transitions")}` } },
        );
      }
      await send("POST", path(key, "/transitions"), { transition: { id: match.id } });
      log.info({ key, transition: match.name }, "transitioned Jira issue");
      return { transitioned: true };
    },

    async myself() {
      const me = await send<{ accountId: string; displayName: string; emailAddress?: string }>("GET", "/rest/api/3/myself");
      return { accountId: me?.accountId ?? "", displayName: me?.displayName ?? "", emailAddress: me?.emailAddress };
    },

    issueUrl(key) {
      return `${root}/browse/${key}`;
    },
  };
}
