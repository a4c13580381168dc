import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { Workspaces } from "@fixline/git";
import { loadConfig, silentLogger, type Config } from "@fixline/core";
import { createApiToken, ingestSignal, transition, updateTaskFields } from "@fixline/db";
import { createJobQueues, type JobQueues } from "@fixline/queue";
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from "@fixline/testing";
import type { AppDeps } from "../../src/app-deps";
import { buildApp } from "../../src/build-app";
import type { PermissionChecker } from "@fixline/tasks";

export const apiToken = "test-api-token-0123456789";
/** The operator's shared token: reads, cancels and retries; never a GitHub login. */
export const bearer = { authorization: `Bearer ${apiToken}` };
export const sessionSecret = "test-session-secret-0123456789abcdef0123456789";
/** `maintainer` may act on every repository; `visitor` can only read. */
export const permissions: PermissionChecker = async (_repo, login) => (login === "maintainer" ? "write" : login === "boss" ? "admin" : login === "visitor" ? "read" : "none");

export interface ApiTestApp {
  app: FastifyInstance;
  deps: AppDeps;
  database: TestDatabase;
  redis: TestRedis;
  queues: JobQueues;
  /** The base URL once `listen()` was called (port 0 = any free one). */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startApiTestApp(
  options: { env?: Record<string, string | undefined>; workspaces?: Workspaces; nowMs?: () => number; checkPermission?: (config: Config) => PermissionChecker } = {},
): Promise<ApiTestApp> {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
  const config = loadConfig({ LOG_LEVEL: "silent", FIXLINE_API_TOKEN: apiToken, FIXLINE_SESSION_SECRET: sessionSecret, FIXLINE_QUEUE_PREFIX: redis.prefix, ...options.env });
  const deps: AppDeps = {
    config,
    db: database.db,
    redis: redis.producer,
    queues,
    logger: silentLogger(),
    checkPermission: options.checkPermission ? options.checkPermission(config) : permissions,
    ...(options.workspaces ? { workspaces: options.workspaces } : {}),
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
  };
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    database,
    redis,
    queues,
    async listen(port = 0) {
      await app.listen({ host: "127.0.0.1", port });
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    },
    async close() {
      await app.close();
      await queues.close();
      // Only this database's tasks: other suites share the Redis server.
      const tasks = await database.db.selectFrom("tasks").select("id").execute();
      if (tasks.length > 0) await redis.worker.del(...tasks.map((t) => `task:${t.id}:output`));
      await redis.cleanup();
      await database.destroy();
    },
  };
}

/**
 * A personal API token of `login`, stored the way POST /api/tokens stores one, for tests about other
 * things than sign-in (test/api/sign-in.test.ts covers the real flow that creates them).
 */
export async function userToken(deps: AppDeps, login: string): Promise<Record<string, string>> {
  const secret = `fxl_test_${login}_${randomUUID().replace(/-/g, "")}`;
  await createApiToken(deps.db, { secret, login, name: "test" });
  return { authorization: `Bearer ${secret}` };
}

/** A task created the way the API creates one, with a unique source key. */
export async function createTask(deps: AppDeps, fields: { repo?: string; title?: string; source?: "api" | "sentry" } = {}): Promise<string> {
  const id = randomUUID();
  const source = fields.source ?? "api";
  const outcome = await ingestSignal(deps.db, {
    delivery: { source, deliveryId: id, event: "test" },
    source,
    sourceKey: `${source}:${id}`,
    repo: fields.repo ?? "acme/shop",
    title: fields.title ?? `task ${id.slice(0, 6)}`,
    context: { description: "The checkout total is off by one cent" },
  });
  return outcome.taskId!;
}

/** Moves a task through planning to a plan awaiting approval, as the planning agent would. */
export async function planReady(deps: AppDeps, taskId: string, planMarkdown = "# Plan\n\n- Fix rounding in `total()`\n"): Promise<string> {
  const planSha = randomUUID().replace(/-/g, "").slice(0, 40).padEnd(40, "0");
  await transition(deps.db, { taskId, expected: "received", event: { type: "plan_started" } });
  await updateTaskFields(deps.db, taskId, { planMarkdown, prUrl: "https://github.com/acme/shop/pull/7" });
  await transition(deps.db, { taskId, expected: "planning", event: { type: "plan_ready", planSha, prNumber: 7 } });
  return planSha;
}

/** Reads Server-Sent Events from a streaming fetch response. */
export async function* readSse(response: Response): AsyncGenerator<{ event: string; data: string; id: string | undefined }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("id: ")) id = line.slice(4);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      if (data.length > 0) yield { event, data: data.join("\n"), id };
    }
  }
}

/** A free local port, for a server whose public URL must be known before it starts (OAuth redirect URLs). */
// One free-port helper for every test.
export { freePort } from "@fixline/testing";

const setCookies = (response: Response): string[] => response.headers.getSetCookie();
const cookiePairs = (response: Response): string => setCookies(response).map((c) => c.split(";")[0]).join("; ");

/**
 * "Sign in with GitHub" over real HTTP, as a browser does it (redirects followed by hand): Fixline's
 * /auth/github -> the (fake) GitHub authorize page -> Fixline's callback. Returns the session cookie pair.
 */
export async function signInWithGitHub(baseUrl: string): Promise<{ cookie: string; callback: Response }> {
  const start = await fetch(`${baseUrl}/auth/github`, { redirect: "manual" });
  if (start.status !== 302) throw new Error(`/auth/github answered ${start.status}`);
  const stateCookie = cookiePairs(start);
  const authorize = await fetch(start.headers.get("location")!, { redirect: "manual" });
  if (authorize.status !== 302) throw new Error(`authorize answered ${authorize.status}`);
  const callback = await fetch(authorize.headers.get("location")!, { redirect: "manual", headers: { cookie: stateCookie } });
  const session = setCookies(callback).find((c) => c.startsWith("fixline_session=") && !c.includes("Max-Age=0"));
  return { cookie: session ? session.split(";")[0]! : "", callback };
}
