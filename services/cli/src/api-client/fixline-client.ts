import { randomUUID } from "node:crypto";
import { FixlineApiError, unreachableError } from "./fixline-api-error";
import { readServerSentEvents, type ServerSentEvent } from "./read-server-sent-events";

export interface FixlineClientOptions {
  baseUrl: string;
  token: string | undefined;
  /** Which credential the token is, for error messages ("FIXLINE_TOKEN", "FIXLINE_API_TOKEN"...). */
  credential?: string;
  fetch?: typeof fetch;
}

export interface TaskSummary {
  id: string;
  shortId: string;
  source: string;
  repo: string;
  title: string;
  state: string;
  prUrl: string | null;
  prNumber: number | null;
  costUsd: number;
  errorCode: string | null;
  /** Set when the task's pool has no worker (issue 20). Older servers omit it. */
  waitingFor?: string | null;
  /** Issue 21: what became of the PR after completed. Older servers omit these. */
  outcome?: "merged" | "closed_unmerged" | "reverted" | null;
  outcomeAt?: string | null;
  mergedAt?: string | null;
  endedAt?: string | null;
  revertedBy?: string | null;
  errorMessage: string | null;
  createdAt: string;
  updatedAt: string;
  requester: { name?: string } | null;
}

export interface TaskDetail {
  task: TaskSummary;
  context: Record<string, unknown>;
  events: Array<{ type: string; fromState: string | null; toState: string | null; actor: { via?: string; login?: string } | null; data: Record<string, unknown> | null; createdAt: string }>;
  runs: Array<{ phase: string; status: string; numTurns: number | null; costUsd: number; tokens: { input: number; output: number }; durationMs: number | null; errorCode: string | null }>;
  plan: { sha: string | null; markdown: string } | null;
  evidence: Record<string, unknown> | null;
  /** Issue 21: the execution budget; absent from servers older than budgets. */
  budget?: { estimateUsd: number | null; grantedUsd: number | null; spentUsd: number; grants: Array<{ kind: string; amountUsd: number; login: string; via: string }> };
  /** A dry run's held-back actions; absent from servers older than the dry run. */
  data?: { wouldHaveSent: WouldHaveSentRecord[]; dryRunPullRequest: { title: string; body: string } | null };
}

/** One action a dry run recorded instead of performing (see README "Dry run"). */
export interface WouldHaveSentRecord {
  channel: string;
  action: string;
  target: string;
  summary: string;
  event?: string;
  at?: string;
}

/** A task worktree on the server's disk (GET /api/workspaces). */
export interface WorkspaceSummary {
  taskId: string;
  path: string;
  branch: string | null;
  sizeBytes: number;
  ageSeconds: number;
  /** The task's state, or "orphaned" when no task owns the directory. */
  state: string;
  repo: string | null;
}

export type TaskAction = "approve" | "reject" | "retry" | "cancel";

export interface FixlineClient {
  readonly baseUrl: string;
  listTasks(filters?: { state?: string; source?: string; repo?: string; limit?: number }): Promise<{ tasks: TaskSummary[]; nextCursor: string | null }>;
  getTask(id: string): Promise<TaskDetail>;
  createTask(body: { description: string; repo: string; title?: string }): Promise<{ task: TaskSummary; created: boolean }>;
  act(id: string, action: TaskAction, body?: Record<string, string | undefined>): Promise<{ task: TaskSummary }>;
  /** Who the credential is: a GitHub login (personal token) or the operator. */
  whoami(): Promise<{ kind: "github" | "operator"; login: string | null }>;
  listWorkspaces(): Promise<WorkspaceSummary[]>;
  /** Removes a task's worktree; 409 (a FixlineApiError) while the task is planning or executing. */
  removeWorkspace(taskId: string): Promise<void>;
  /** The task's live output as Server-Sent Events; resumes after `lastEventId`. */
  streamOutput(id: string, options?: { lastEventId?: string; follow?: boolean; signal?: AbortSignal }): AsyncGenerator<ServerSentEvent>;
}

/** A small fetch-based client of the REST API, with the CLI's error messages built in. */
export function createFixlineClient(options: FixlineClientOptions): FixlineClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;

  async function send(path: string, init: RequestInit = {}): Promise<Response> {
    if (!options.token) {
      throw new FixlineApiError("Not signed in: run `fixline login` (a personal API token from the dashboard's Tokens page), or set FIXLINE_TOKEN; operators may set FIXLINE_API_TOKEN.", 2);
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      accept: "application/json",
      "x-fixline-client": "cli",
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...(init.headers as Record<string, string> | undefined),
    };
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { ...init, headers });
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw unreachableError(baseUrl, error);
    }
    if (response.ok) return response;
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    if (response.status === 401) {
      throw new FixlineApiError(`The server refused ${options.credential ?? "the token"} (revoked, expired or wrong): run \`fixline login\` again.`, 2, 401, body.code);
    }
    if (response.status === 503) throw new FixlineApiError(body.message ?? `Fixline at ${baseUrl} is unavailable (503).`, 2, 503, body.code);
    throw new FixlineApiError(body.message ?? `HTTP ${response.status} from ${path}`, 1, response.status, body.code);
  }

  const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await (await send(path, init)).json()) as T;
  const taskPath = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

  return {
    baseUrl,
    listTasks(filters = {}) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== "") query.set(key, String(value));
      return json(`/api/tasks${query.size ? `?${query}` : ""}`);
    },
    getTask(id) {
      return json(taskPath(id));
    },
    createTask(body) {
      // A retried `fixline run` (after a timeout) must not create a second task.
      return json("/api/tasks", { method: "POST", body: JSON.stringify(body), headers: { "idempotency-key": randomUUID() } });
    },
    act(id, action, body = {}) {
      return json(`${taskPath(id)}/${action}`, { method: "POST", body: JSON.stringify(body) });
    },
    whoami() {
      return json("/api/session");
    },
    listWorkspaces() {
      return json("/api/workspaces");
    },
    async removeWorkspace(taskId) {
      await send(`/api/workspaces/${encodeURIComponent(taskId)}`, { method: "DELETE" });
    },
    async *streamOutput(id, streamOptions = {}) {
      const query = streamOptions.follow === false ? "?follow=false" : "";
      const response = await send(`${taskPath(id)}/stream${query}`, {
        headers: { accept: "text/event-stream", ...(streamOptions.lastEventId ? { "last-event-id": streamOptions.lastEventId } : {}) },
        ...(streamOptions.signal ? { signal: streamOptions.signal } : {}),
      });
      yield* readServerSentEvents(response);
    },
  };
}
