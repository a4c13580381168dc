import { taskSources, taskStates } from "@fixline/core";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const idParam = { name: "id", in: "path", required: true, description: "Task id, or its first 8+ hex characters", schema: { type: "string" } };
const planShaProp = { type: "string", pattern: "^[0-9a-fA-F]{7,64}$", description: "The plan SHA the decision is about (GET /api/tasks/{id} → plan.sha). Another plan is current: 409 PLAN_CHANGED" };

/**
 * Who acts is the credential (issue 16): a GitHub sign-in session or personal API token acts as its
 * GitHub login; the operator's FIXLINE_API_TOKEN acts as `operator`. There is no login field or header.
 */
const action = (summary: string, bodyProps: Record<string, unknown>, required: string[] = []) => ({
  post: {
    summary,
    tags: ["actions"],
    parameters: [idParam, { name: "X-Fixline-Client", in: "header", required: false, schema: { type: "string", enum: ["cli"] }, description: "Labels the door (via: cli); names nobody" }],
    requestBody: { required: required.length > 0, content: json({ type: "object", additionalProperties: false, required, properties: bodyProps }) },
    responses: {
      200: { description: "Applied", content: json({ type: "object", properties: { task: ref("Task"), approvalId: { type: "string" } }, required: ["task"] }) },
      400: error("A field is wrong (the message names it), or X-Fixline-User was sent (refused: identity comes from the credential)"),
      401: error("Missing or wrong credential"),
      403: error("The credential's GitHub login lacks write permission on the repository, or the operator token may not decide plans (operator.mayApprove)"),
      404: error("Unknown task"),
      409: error("The task's state does not allow this action (ILLEGAL_TRANSITION), or the plan changed: review the new one (PLAN_CHANGED)"),
    },
  },
});

const tokenJson = {
  type: "object",
  properties: { id: { type: "string" }, name: { type: "string" }, login: { type: "string" }, createdAt: { type: "string" }, lastUsedAt: { type: ["string", "null"] }, revokedAt: { type: ["string", "null"] } },
};

/** The REST API, described by hand; a test checks it lists exactly the routes the app registers. */
export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Fixline API",
    version: "1.0.0",
    description:
      "Tasks, their live output and the human decisions on them. Authenticate with `Authorization: Bearer <personal API token>` (created on the dashboard after Sign in with GitHub; acts as your GitHub login), the dashboard's session cookie, or the operator's `FIXLINE_API_TOKEN` (acts as `operator`: reads, cancels, retries; approves only with operator.mayApprove).",
  },
  servers: [{ url: "/" }],
  security: [{ bearer: [] }, { session: [] }],
  paths: {
    "/api/openapi.json": { get: { summary: "This document", security: [], responses: { 200: { description: "OpenAPI 3.1 document" } } } },
    "/api/session": {
      get: {
        summary: "Who the current credential acts as",
        responses: {
          200: {
            description: "Session",
            content: json({ type: "object", properties: { kind: { type: "string", enum: ["github", "operator"] }, login: { type: ["string", "null"] }, via: { type: "string" }, mayApprove: { type: "boolean" } } }),
          },
          401: error("Not signed in"),
        },
      },
      post: {
        summary: "Operator dashboard sign-in with FIXLINE_API_TOKEN: a revocable server-side session in a signed HttpOnly SameSite=Lax cookie (GitHub users sign in at /auth/github)",
        security: [],
        requestBody: { required: true, content: json({ type: "object", required: ["token"], additionalProperties: false, properties: { token: { type: "string" } } }) },
        responses: { 200: { description: "Signed in as operator" }, 400: error("Missing or unknown field"), 401: error("Wrong token"), 429: error("Too many wrong credentials from this address"), 503: error("FIXLINE_API_TOKEN is not set") },
      },
      delete: { summary: "Sign out: revokes the session server-side", security: [], responses: { 204: { description: "Signed out" } } },
    },
    "/api/status": {
      get: {
        summary: "Outages in progress: the circuit breakers (per provider) that have paused work instead of failing it",
        responses: {
          200: {
            description: "Status",
            content: json({
              type: "object",
              properties: {
                breakers: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      provider: { type: "string", enum: ["claude", "github"] },
                      status: { type: "string" },
                      since: { type: "string", format: "date-time" },
                      until: { type: "string", format: "date-time" },
                      failures: { type: "integer" },
                      code: { type: "string" },
                      message: { type: "string" },
                    },
                  },
                },
              },
            }),
          },
          401: error("Not signed in"),
        },
      },
    },
    "/api/tokens": {
      get: { summary: "Your personal API tokens (never their secrets), with last-used times", tags: ["tokens"], responses: { 200: { description: "Tokens", content: json({ type: "object", properties: { tokens: { type: "array", items: tokenJson } } }) }, 403: error("Not a GitHub user") } },
      post: {
        summary: "Create a personal API token (from a GitHub sign-in session only); the token is in this response and nowhere else",
        tags: ["tokens"],
        requestBody: { required: true, content: json({ type: "object", required: ["name"], additionalProperties: false, properties: { name: { type: "string", maxLength: 100 } } }) },
        responses: { 201: { description: "Created", content: json({ ...tokenJson, properties: { ...tokenJson.properties, token: { type: "string", description: "fxl_…, shown once" } } }) }, 403: error("Not a GitHub sign-in session") },
      },
    },
    "/api/tokens/{id}": {
      delete: { summary: "Revoke one of your tokens", tags: ["tokens"], parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { 204: { description: "Revoked" }, 404: error("No live token of yours") } },
    },
    "/api/tasks": {
      get: {
        summary: "List tasks, newest first",
        tags: ["tasks"],
        parameters: [
          { name: "state", in: "query", schema: { type: "string", enum: [...taskStates] } },
          { name: "source", in: "query", schema: { type: "string", enum: [...taskSources] } },
          { name: "repo", in: "query", schema: { type: "string", pattern: "^[\\w.-]+/[\\w.-]+$" } },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
          { name: "cursor", in: "query", schema: { type: "string" }, description: "nextCursor of the previous page" },
        ],
        responses: {
          200: { description: "A page of tasks", content: json({ type: "object", properties: { tasks: { type: "array", items: ref("Task") }, nextCursor: { type: ["string", "null"] } } }) },
          400: error("A filter is wrong (the message names it)"),
          401: error("Missing or wrong API token"),
        },
      },
      post: {
        summary: "Create a task from a description (like Slack's /agent run)",
        tags: ["tasks"],
        parameters: [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 200 }, description: "A retried request with the same key returns the same task" }],
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["description", "repo"],
            additionalProperties: false,
            properties: { description: { type: "string" }, repo: { type: "string", description: "owner/repo" }, title: { type: "string" } },
          }),
        },
        responses: {
          201: { description: "Created", content: json({ type: "object", properties: { task: ref("Task"), created: { type: "boolean" } } }) },
          200: { description: "Same Idempotency-Key as an earlier request: that task" },
          400: error("A field is wrong (the message names it)"),
          401: error("Missing or wrong API token"),
          403: error("The credential's GitHub login lacks write access to the repository"),
        },
      },
    },
    "/api/tasks/{id}": {
      get: {
        summary: "A task with its events, agent runs (cost, tokens), rendered plan and red/green evidence",
        tags: ["tasks"],
        parameters: [idParam],
        responses: {
          200: {
            description: "The task",
            content: json({
              type: "object",
              properties: {
                task: ref("Task"),
                events: { type: "array", items: { type: "object" } },
                runs: { type: "array", items: ref("AgentRun") },
                plan: { type: ["object", "null"], properties: { sha: { type: ["string", "null"] }, markdown: { type: "string" }, html: { type: "string" } } },
                evidence: { type: ["object", "null"] },
                budget: {
                  type: "object",
                  description: "Issue 21: PLAN.md's estimate, what the standing approval granted (null: nothing granted) and what execution under it spent",
                  properties: {
                    estimateUsd: { type: ["number", "null"] },
                    grantedUsd: { type: ["number", "null"] },
                    spentUsd: { type: "number" },
                    grants: { type: "array", items: { type: "object", properties: { kind: { type: "string", enum: ["estimate", "explicit", "top_up"] }, amountUsd: { type: "number" }, login: { type: "string" }, via: { type: "string" }, createdAt: { type: "string", format: "date-time" } } } },
                  },
                },
                data: {
                  type: "object",
                  description: "Dry run: what was held back instead of sent, and the draft PR that would have been opened",
                  properties: {
                    wouldHaveSent: {
                      type: "array",
                      items: { type: "object", properties: { channel: { type: "string" }, action: { type: "string" }, target: { type: "string" }, summary: { type: "string" }, event: { type: "string" }, at: { type: "string", format: "date-time" } } },
                    },
                    dryRunPullRequest: { type: ["object", "null"], properties: { title: { type: "string" }, body: { type: "string" } } },
                  },
                },
              },
            }),
          },
          401: error("Missing or wrong API token"),
          404: error("Unknown task"),
        },
      },
    },
    "/api/tasks/{id}/stream": {
      get: {
        summary: "Live output as Server-Sent Events (events: output, state, end); resumable with Last-Event-ID",
        tags: ["tasks"],
        parameters: [
          idParam,
          { name: "Last-Event-ID", in: "header", required: false, schema: { type: "string" } },
          { name: "lastEventId", in: "query", required: false, schema: { type: "string" }, description: "Same as Last-Event-ID, for EventSource's first connection" },
          { name: "follow", in: "query", required: false, schema: { type: "string", enum: ["true", "false"] }, description: "false: send what is there now, then end" },
        ],
        responses: {
          200: { description: "text/event-stream; `output` data is {id, run, phase, items[]} of readable items", content: { "text/event-stream": { schema: { type: "string" } } } },
          400: error("Malformed Last-Event-ID"),
          401: error("Missing or wrong API token"),
          404: error("Unknown task"),
        },
      },
    },
    "/api/tasks/{id}/approve": action(
      "Approve the plan awaiting approval (starts execution), or add budget to a task in waiting_budget (resumes it)",
      {
        planSha: planShaProp,
        instructions: { type: "string" },
        budget: { type: "string", pattern: "^\\+?\\$?[0-9]{1,4}(\\.[0-9]{1,2})?$", description: "Issue 21: `$8` grants $8 for execution instead of the plan's estimate; `+$5` adds $5 (the only form accepted in waiting_budget). Writers only, like approve." },
      },
      ["planSha"],
    ),
    "/api/tasks/{id}/reject": action("Reject the plan: with feedback it is re-planned, without it the task closes", { planSha: planShaProp, feedback: { type: "string" } }),
    "/api/tasks/{id}/retry": action("Retry a failed task from its last proven phase", {}),
    "/api/tasks/{id}/cancel": action("Cancel the task (running agents are stopped)", { reason: { type: "string" } }),
    "/api/workspaces": {
      get: {
        summary: "The task worktrees on this server's disk, with their size, age and task state",
        tags: ["workspaces"],
        responses: {
          200: { description: "Every workspace; state is the task's, or `orphaned` when no task owns it", content: json({ type: "array", items: ref("Workspace") }) },
          401: error("Missing or wrong API token"),
          503: error("This server has no workspace directory configured"),
        },
      },
    },
    "/api/workspaces/{taskId}": {
      delete: {
        summary: "Remove a task's worktree (and its local branch once pushed); operator token only",
        tags: ["workspaces"],
        parameters: [{ name: "taskId", in: "path", required: true, description: "Task id, or its first 8+ characters", schema: { type: "string" } }],
        responses: {
          204: { description: "Removed" },
          400: error("The id prefix matches several workspaces"),
          401: error("Missing or wrong API token"),
          403: error("Not the operator token"),
          404: error("No workspace for this task"),
          409: error("The task is planning or executing: its worker is using the workspace"),
          503: error("This server has no workspace directory configured"),
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "A personal API token (fxl_…) or the operator's FIXLINE_API_TOKEN" },
      session: { type: "apiKey", in: "cookie", name: "fixline_session", description: "Set by Sign in with GitHub (/auth/github) or operator sign-in" },
    },
    schemas: {
      Error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } },
      Task: {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          shortId: { type: "string" },
          source: { type: "string", enum: [...taskSources] },
          repo: { type: "string" },
          title: { type: "string" },
          state: { type: "string", enum: [...taskStates] },
          prUrl: { type: ["string", "null"] },
          costUsd: { type: "number" },
          createdAt: { type: "string", format: "date-time" },
          updatedAt: { type: "string", format: "date-time" },
          outcome: { type: ["string", "null"], enum: ["merged", "closed_unmerged", "reverted", null], description: "What became of the PR after completed (issue 21); null while it is open" },
          outcomeAt: { type: ["string", "null"], format: "date-time" },
          mergedAt: { type: ["string", "null"], format: "date-time" },
          revertedBy: { type: ["string", "null"], description: "The reverting commit's sha, or #<n> of a revert PR" },
        },
      },
      Workspace: {
        type: "object",
        required: ["taskId", "path", "branch", "sizeBytes", "ageSeconds", "state", "repo"],
        properties: {
          taskId: { type: "string" },
          path: { type: "string" },
          branch: { type: ["string", "null"] },
          sizeBytes: { type: "integer" },
          ageSeconds: { type: "integer", description: "Since the workspace was last prepared or committed to" },
          state: { type: "string", enum: [...taskStates, "orphaned"] },
          repo: { type: ["string", "null"], description: "owner/repo" },
        },
      },
      AgentRun: {
        type: "object",
        properties: {
          phase: { type: "string" },
          status: { type: "string" },
          costUsd: { type: "number" },
          numTurns: { type: ["integer", "null"] },
          tokens: { type: "object", properties: { input: { type: "integer" }, output: { type: "integer" }, cacheRead: { type: "integer" }, cacheCreation: { type: "integer" } } },
        },
      },
    },
  },
} as const;
