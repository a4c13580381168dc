import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedactor, loadConfig, silentLogger } from "@fixline/core";
import { appendWouldHaveSent, createApiToken, ingestSignal, transition, updateTaskFields } from "@fixline/db";
import { createWorkspaces, type Workspaces } from "@fixline/git";
import { createJobQueues, createWorker, type JobQueues } from "@fixline/queue";
import { freePort, createSampleRemote, createTestDatabase, createTestRedis, waitFor, type TestDatabase, type TestRedis } from "@fixline/testing";
import { buildApp, type AppDeps } from "@fixline/webhook-server";

const token = "cli-test-token-abcdef";
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
// The real entry point, as `pnpm fixline` runs it.
const entry = fileURLToPath(new URL("../src/main.ts", import.meta.url));

let database: TestDatabase;
let redis: TestRedis;
let queues: JobQueues;
let app: FastifyInstance;
let deps: AppDeps;
let baseUrl: string;
let root: string;
let workspaces: Workspaces;
/** The CLI's HOME: `fixline login` stores its token under it, never in the real home. */
let home: string;
const children = new Set<ChildProcessWithoutNullStreams>();

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await createTestRedis();
  queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
  root = await mkdtemp(join(tmpdir(), "fixline-cli-test-"));
  home = await mkdtemp(join(tmpdir(), "fixline-cli-home-"));
  await createSampleRemote({ root: join(root, "remotes"), owner: "acme", name: "shop" });
  workspaces = createWorkspaces({ workspaceDir: join(root, "workspaces"), gitBaseUrl: join(root, "remotes"), author: { name: "Fixline", email: "fixline@example.com" }, logger: silentLogger(), redactor: createRedactor([]), pathEnv: process.env.PATH });
  deps = {
    // acme/py is in the `python` pool (issue 20); nothing here starts a worker for it unless a test does.
    config: loadConfig({ LOG_LEVEL: "silent", FIXLINE_API_TOKEN: token, FIXLINE_CONFIG: "repos:\n  acme/py: { pool: python }\n" }),
    db: database.db,
    redis: redis.producer,
    queues,
    logger: silentLogger(),
    checkPermission: async (_repo, login) => (login === "maintainer" ? "write" : "read"),
    workspaces,
  };
  app = await buildApp(deps);
  await app.listen({ host: "127.0.0.1", port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await app?.close();
  await queues?.close();
  const tasks = (await database?.db.selectFrom("tasks").select("id").execute()) ?? [];
  if (tasks.length > 0) await redis.worker.del(...tasks.map((t) => `task:${t.id}:output`));
  await redis?.cleanup();
  await database?.destroy();
  if (root) await rm(root, { recursive: true, force: true });
  if (home) await rm(home, { recursive: true, force: true });
});

/** A port nothing listens on (taken, then released). */

interface CliRun {
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function cli(args: string[], env: Record<string, string | undefined> = {}): CliRun {
  const child = spawn(tsx, [entry, ...args], {
    env: { PATH: process.env.PATH, HOME: home, FIXLINE_URL: baseUrl, FIXLINE_API_TOKEN: token, ...env },
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { stdout: () => stdout, stderr: () => stderr, exit };
}

async function createTask(repo = "acme/shop"): Promise<{ id: string; shortId: string }> {
  const id = randomUUID();
  const outcome = await ingestSignal(deps.db, {
    delivery: { source: "api", deliveryId: id, event: "test" },
    source: "api",
    sourceKey: `api:${id}`,
    repo,
    title: "Checkout total off by one cent",
    context: { description: "three items at 0.10 total 0.31" },
  });
  return { id: outcome.taskId!, shortId: outcome.taskId!.replace(/-/g, "").slice(0, 8) };
}

const line = (message: unknown) => JSON.stringify(message);
const xadd = (taskId: string, message: unknown) => redis.producer.xadd(`task:${taskId}:output`, "*", "run", "r1", "phase", "planning", "type", "x", "line", line(message));

describe("fixline CLI against a running server", () => {
  it("logs --follow prints lines as they arrive and stops when the task ends", async () => {
    const task = await createTask();
    await transition(deps.db, { taskId: task.id, expected: "received", event: { type: "plan_started" } });
    await xadd(task.id, { type: "assistant", message: { content: [{ type: "text", text: "Looking at the cart code" }] } });
    const run = cli(["logs", task.shortId, "--follow"]);

    await waitFor(() => run.stdout().includes("Looking at the cart code"), { what: "the line written before the CLI started", timeoutMs: 20_000 });
    expect(run.stdout()).not.toContain("npm test -- cart");

    await xadd(task.id, { type: "assistant", message: { content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "npm test -- cart" } }] } });
    await waitFor(() => run.stdout().includes("🔧 Bash: npm test -- cart"), { what: "a live tool call" });
    expect(run.stdout()).not.toContain("Run finished");

    await xadd(task.id, { type: "result", subtype: "success", is_error: false, result: "PLAN.md written", total_cost_usd: 0.25, num_turns: 4 });
    await waitFor(() => run.stdout().includes("✓ Run finished · 4 turns · $0.250"), { what: "the result summary" });

    await transition(deps.db, { taskId: task.id, expected: "planning", event: { type: "fail", code: "CLAUDE_CRASHED", message: "gone" } });
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toContain("task failed");
    // Not a terminal: plain lines, no spinner or colour codes.
    expect(run.stdout()).not.toContain("\x1b[");
  });

  it("logs --follow stops when the plan waits for approval and says how to approve", async () => {
    const task = await createTask();
    await transition(deps.db, { taskId: task.id, expected: "received", event: { type: "plan_started" } });
    const run = cli(["logs", task.shortId, "--follow"]);
    await waitFor(() => run.stdout().includes("Following"), { what: "the CLI to start following", timeoutMs: 20_000 });
    await updateTaskFields(deps.db, task.id, { planMarkdown: "# Plan" });
    await transition(deps.db, { taskId: task.id, expected: "planning", event: { type: "plan_ready", planSha: "b".repeat(40), prNumber: 3 } });
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toContain(`fixline approve ${task.shortId}`);
  });

  it("login stores a personal token; approve sends the plan SHA it shows and is recorded as the token's GitHub login", async () => {
    const personal = `fxl_cli_${randomUUID().replace(/-/g, "")}`;
    await createApiToken(deps.db, { secret: personal, login: "maintainer", name: "cli test" });
    const refused = cli(["login", "--token", "fxl_not_a_real_one"]);
    expect(await refused.exit).toBe(2);
    const login = cli(["login", "--token", personal]);
    expect(await login.exit).toBe(0);
    expect(login.stdout()).toContain("as @maintainer");
    expect(((await stat(join(home, ".config", "fixline", "credentials.json"))).mode & 0o777).toString(8)).toBe("600");
    const whoami = cli(["whoami"], { FIXLINE_API_TOKEN: undefined });
    expect(await whoami.exit).toBe(0);
    expect(whoami.stdout().trim()).toBe("@maintainer");

    const task = await createTask();
    await transition(deps.db, { taskId: task.id, expected: "received", event: { type: "plan_started" } });
    await updateTaskFields(deps.db, task.id, { planMarkdown: "# Plan\n" });
    await transition(deps.db, { taskId: task.id, expected: "planning", event: { type: "plan_ready", planSha: "c".repeat(40), prNumber: 4 } });
    // An approval for a plan other than the current one is refused.
    const stale = cli(["approve", task.shortId, "--plan", "d".repeat(40)], { FIXLINE_API_TOKEN: undefined });
    expect(await stale.exit).toBe(1);
    expect(stale.stderr()).toContain("the plan changed; review the new one");
    const run = cli(["approve", task.shortId, "-m", "keep the diff small"], { FIXLINE_API_TOKEN: undefined });
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toContain(`Approving plan ${"c".repeat(12)}`);
    expect(run.stdout()).toContain(`${task.shortId} is now approved`);
    const approval = await deps.db.selectFrom("approvals").selectAll().where("task_id", "=", task.id).executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ login: "maintainer", via: "cli", instructions: "keep the diff small", plan_sha: "c".repeat(40) });

    const again = cli(["approve", task.shortId], { FIXLINE_API_TOKEN: undefined });
    expect(await again.exit).toBe(1);
    expect(again.stderr()).toContain("only a plan awaiting approval can be approved");

    const logout = cli(["logout"]);
    expect(await logout.exit).toBe(0);
    const after = cli(["tasks"], { FIXLINE_API_TOKEN: undefined });
    expect(await after.exit).toBe(2);
    expect(after.stderr()).toContain("Not signed in: run `fixline login`");
  });

  it("the operator token is not a GitHub login: FIXLINE_USER names nobody, and approve is refused", async () => {
    const task = await createTask();
    await transition(deps.db, { taskId: task.id, expected: "received", event: { type: "plan_started" } });
    await updateTaskFields(deps.db, task.id, { planMarkdown: "# Plan\n" });
    await transition(deps.db, { taskId: task.id, expected: "planning", event: { type: "plan_ready", planSha: "e".repeat(40), prNumber: 5 } });
    const run = cli(["approve", task.shortId], { FIXLINE_USER: "maintainer" });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain("operator token cannot approve");
    expect(await deps.db.selectFrom("approvals").selectAll().where("task_id", "=", task.id).execute()).toEqual([]);
  });

  it("run creates a task; tasks and show print it; reject and cancel act on it", async () => {
    const created = cli(["run", "Coupon codes are case sensitive", "--repo", "acme/coupons"]);
    expect(await created.exit).toBe(0);
    const shortId = /Created task (\w{8})/.exec(created.stdout())?.[1];
    expect(shortId, created.stdout()).toBeDefined();

    const list = cli(["tasks", "--repo", "acme/coupons"]);
    expect(await list.exit).toBe(0);
    expect(list.stdout()).toMatch(new RegExp(`${shortId}\\s+received\\s+api\\s+acme/coupons`));

    const show = cli(["show", shortId!]);
    expect(await show.exit).toBe(0);
    expect(show.stdout()).toContain("Coupon codes are case sensitive");
    expect(show.stdout()).toContain("received → received");

    const reject = cli(["reject", shortId!, "needs a plan first"]);
    expect(await reject.exit).toBe(1);
    const cancel = cli(["cancel", shortId!, "--reason", "duplicate"]);
    expect(await cancel.exit).toBe(0);
    expect(cancel.stdout()).toContain("is now cancelled");
  });

  it("workspaces lists worktrees with their task state; workspaces rm removes one, refused while it runs", async () => {
    const task = await createTask();
    await transition(deps.db, { taskId: task.id, expected: "received", event: { type: "plan_started" } });
    const { path } = await workspaces.prepare({ taskId: task.id, repo: "acme/shop", branch: `fixline/${task.shortId}-cli` });

    const list = cli(["workspaces"]);
    expect(await list.exit).toBe(0);
    expect(list.stdout()).toMatch(new RegExp(`${task.shortId}\\s+planning\\s+acme/shop\\s+fixline/${task.shortId}-cli\\s+\\d+(\\.\\d)? KB\\s+\\d+s\\s+${path}`));
    expect(list.stdout()).toMatch(/\d+ workspaces?, /);
    const json = cli(["workspaces", "--json"]);
    expect(await json.exit).toBe(0);
    expect(JSON.parse(json.stdout())).toEqual(expect.arrayContaining([expect.objectContaining({ taskId: task.id, state: "planning", path })]));

    const refused = cli(["workspaces", "rm", task.shortId]);
    expect(await refused.exit).toBe(1);
    expect(refused.stderr()).toContain("is planning");
    expect((await stat(path)).isDirectory()).toBe(true);

    await transition(deps.db, { taskId: task.id, expected: "planning", event: { type: "fail", code: "CLAUDE_CRASHED", message: "gone" } });
    const removed = cli(["workspaces", "rm", task.shortId]);
    expect(await removed.exit).toBe(0);
    expect(removed.stdout()).toContain(`Removed the workspace of ${task.shortId}`);
    await expect(stat(path)).rejects.toThrow();

    const missing = cli(["workspaces", "rm", task.shortId]);
    expect(await missing.exit).toBe(1);
    expect(missing.stderr()).toContain(`No workspace for task ${task.shortId}`);
  });

  it("show prints what a dry run would have sent, and that there is no PR", async () => {
    const task = await createTask();
    await transition(deps.db, { taskId: task.id, expected: "received", event: { type: "plan_started" } });
    await appendWouldHaveSent(deps.db, task.id, { channel: "git", action: "push", target: "acme/shop:fixline/dry", summary: "push fixline/dry at 1234567 (adds PLAN.md)" });
    await appendWouldHaveSent(deps.db, task.id, { channel: "github", action: "open_draft_pr", target: "acme/shop:fixline/dry -> main", summary: 'open a draft PR "fixline: Checkout total off by one cent"' });
    await updateTaskFields(deps.db, task.id, { planMarkdown: "# Plan", data: { dryRunPullRequest: { title: "fixline: Checkout total off by one cent", body: "## Summary" } } });
    await transition(deps.db, { taskId: task.id, expected: "planning", event: { type: "plan_ready", planSha: "d".repeat(40), prNumber: 0 } });

    const show = cli(["show", task.shortId]);
    expect(await show.exit).toBe(0);
    expect(show.stdout()).toContain('PR: none (dry run); would have opened "fixline: Checkout total off by one cent"');
    expect(show.stdout()).toContain("Dry run: would have sent (2)");
    expect(show.stdout()).toMatch(/git push\s+acme\/shop:fixline\/dry: push fixline\/dry at 1234567 \(adds PLAN.md\)/);
    expect(show.stdout()).toMatch(/github open_draft_pr\s+acme\/shop:fixline\/dry -> main: open a draft PR/);
  });

  it("show, the API and the dashboard's data say a task waits for its pool's worker, and stop once one runs (issue 20)", async () => {
    const task = await createTask("acme/py");
    const show = cli(["show", task.shortId]);
    expect(await show.exit).toBe(0);
    expect(show.stdout()).toContain("waiting for a `python` planner: no worker takes the planning.python queue; start one with `fixline start --role planner --pool python`");
    const apiTask = async (id: string) => {
      const response = await fetch(`${baseUrl}/api/tasks/${id}`, { headers: { authorization: `Bearer ${token}` } });
      return ((await response.json()) as { task: { waitingFor: string | null } }).task;
    };
    const list = async () => {
      const response = await fetch(`${baseUrl}/api/tasks?repo=acme/py`, { headers: { authorization: `Bearer ${token}` } });
      return ((await response.json()) as { tasks: Array<{ id: string; waitingFor: string | null }> }).tasks;
    };
    expect((await list()).find((t) => t.id === task.id)?.waitingFor).toMatch(/^waiting for a `python` planner/);

    // A python planner comes up (as `fixline start --role planner --pool python` would): the task no longer says it waits.
    const connection = redis.worker.duplicate();
    const planner = createWorker("planning", async () => undefined, { connection, prefix: redis.prefix, logger: silentLogger(), pool: "python" });
    try {
      await waitFor(async () => (await apiTask(task.id)).waitingFor === null, { what: "the python planner is seen" });
      const again = cli(["show", task.shortId]);
      expect(await again.exit).toBe(0);
      expect(again.stdout()).not.toContain("waiting for a");
      expect(again.stdout()).toContain("Checkout total off by one cent");
    } finally {
      await planner.drain(1_000);
      connection.disconnect();
    }
  });

  it("says clearly when the server is unreachable, the token is wrong, or the login is missing", async () => {
    const closedPort = await freePort();
    const unreachable = cli(["tasks"], { FIXLINE_URL: `http://127.0.0.1:${closedPort}` });
    expect(await unreachable.exit).toBe(2);
    expect(unreachable.stderr()).toContain(`Cannot reach Fixline at http://127.0.0.1:${closedPort} (connection refused). Is it running? Start it with \`make start\`.`);

    const wrongToken = cli(["tasks"], { FIXLINE_API_TOKEN: "nope" });
    expect(await wrongToken.exit).toBe(2);
    expect(wrongToken.stderr()).toContain("The server refused FIXLINE_API_TOKEN (revoked, expired or wrong)");

    const unknown = cli(["show", "deadbeef"]);
    expect(await unknown.exit).toBe(1);
    expect(unknown.stderr()).toContain("No task deadbeef");

    // Filters are checked with the API's own schema before any request (the closed port would say exit 2).
    const badFilter = cli(["tasks", "--state", "bogus", "--limit", "0"], { FIXLINE_URL: `http://127.0.0.1:${closedPort}` });
    expect(await badFilter.exit).toBe(1);
    expect(badFilter.stderr()).toMatch(/--state: .*"awaiting_approval"/);
    expect(badFilter.stderr()).toContain("--limit: ");
  });
});
