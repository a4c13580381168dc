import { randomUUID } from "node:crypto";
import type {
  CreatedTask,
  CreateTaskBody,
  ListTasksQuery,
  SessionJson,
  TaskAction,
  TaskActionBody,
  TaskActionResult,
  TaskDetail,
  TaskPage,
  WorkspaceJson,
} from "@fixline/core";
import { FixlineApiError, unreachableError } from "./fixline-api-error";
import { readServerSentEvents, type ServerSentEvent } from "./read-server-sent-events";

export interface FixlineClientOptions {
  baseUrl: string;
  token: string | undefined;
  /** Which credential the token is, for error messages ("FIXLINE_TOKEN", "FIXLINE_API_TOKEN"...). */
  credential?: string;
  fetch?: typeof fetch;
}

/**
 * The REST API's shapes are its contract in @fixline/core (the same zod schemas the server validates
 * with and generates its OpenAPI document from); type-only imports, so `fixline --help` loads none of it.
 */
export type { TaskJson, TaskDetail, WorkspaceJson, WouldHaveSent as WouldHaveSentJson, TaskAction } from "@fixline/core";

export interface FixlineClient {
  readonly baseUrl: string;
  listTasks(filters?: ListTasksQuery): Promise<TaskPage>;
  getTask(id: string): Promise<TaskDetail>;
  createTask(body: CreateTaskBody): Promise<CreatedTask>;
  act<A extends TaskAction>(id: string, action: A, body: TaskActionBody<A>): Promise<TaskActionResult>;
  /** Who the credential is: a GitHub login (personal token) or the operator. */
  whoami(): Promise<SessionJson>;
  listWorkspaces(): Promise<WorkspaceJson[]>;
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
    act(id, action, body) {
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
