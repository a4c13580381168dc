import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, createTestDatabase, waitFor, type TestDatabase } from "@fixline/testing";
import { deleteRedisKeys } from "./support/delete-redis-keys";

/**
 * Issue 17, "silent dead ends": with GitHub not configured, `fixline start` used to say "running (all)" while the
 * planner and executor were not started, and a task sat in `received` forever. Here the real compiled CLI runs as
 * a process with no GitHub credentials: the banner must say what does not run and why, a task from `fixline run`
 * must end failed with GITHUB_NOT_CONFIGURED and its fix, visible to `show` and `logs --follow` (which must end).
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const launcher = join(root, "scripts", "fixline.mjs");
const token = `t-${randomBytes(12).toString("hex")}`;
const prefix = `fixline-nogh-${randomBytes(4).toString("hex")}`;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let database: TestDatabase;
let work: string;
let port: number;
let server: ChildProcessWithoutNullStreams;
let serverErr = "";
let serverExit: Promise<number | null>;
const taskIds: string[] = [];


function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [launcher, ...args], {
    cwd: work,
    env: { PATH: process.env.PATH, HOME: work, FIXLINE_URL: `http://127.0.0.1:${port}`, FIXLINE_API_TOKEN: token, NODE_ENV: "test", ...extraEnv },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  database = await createTestDatabase();
  work = await mkdtemp(join(tmpdir(), "fixline-nogh-"));
  port = await freePort();
  server = spawn(process.execPath, [launcher, "start"], {
    cwd: work,
    env: {
      PATH: process.env.PATH,
      HOME: work,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      FIXLINE_QUEUE_PREFIX: prefix,
      PORT: String(port),
      FIXLINE_API_TOKEN: token,
      WORKSPACE_DIR: join(work, "workspaces"),
      LOG_LEVEL: "warn",
      // Whatever a developer's .env holds (a GITHUB_TOKEN, say), this process must not read it.
      NODE_ENV: "test",
    },
  });
  server.stderr.on("data", (chunk: Buffer) => (serverErr += chunk.toString()));
  server.stdout.on("data", (chunk: Buffer) => (serverErr += chunk.toString()));
  serverExit = new Promise((resolve) => server.on("close", (code) => resolve(code)));
  await waitFor(() => serverErr.includes("Press Ctrl-C to stop."), { what: `the start banner (output so far: ${serverErr.slice(-500)})`, timeoutMs: 90_000 });
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  await deleteRedisKeys(redisUrl, prefix, taskIds.map((id) => `task:${id}:output`)).catch(() => {});
  await database?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("fixline start without GitHub credentials", () => {
  it("the banner says the planner and executor are not started, and why", () => {
    expect(serverErr).toContain("Fixline is running (all): webhook server, notify, hooks.");
    expect(serverErr).toContain("planner and executor not started: GitHub is not configured (set GITHUB_TOKEN");
    expect(serverErr).not.toMatch(/running \(all\)[^\n]*planner/);
  });

  it("a task fails at once with GITHUB_NOT_CONFIGURED, and show and logs --follow say so with the fix", async () => {
    const created = await cli(["run", "Checkout total is off by one cent", "--repo", "acme/shop"]);
    expect(created.code, created.stderr).toBe(0);
    const shortId = /\b([0-9a-f]{8})\b/.exec(created.stdout)?.[1];
    expect(shortId, created.stdout).toBeDefined();
    const row = await waitFor(() => database.db.selectFrom("tasks").select(["id", "state", "error_code"]).executeTakeFirst(), { what: "the task row" });
    taskIds.push(row.id);

    // Would hang forever before issue 17: the follow ends because the task ends.
    const logs = await cli(["logs", shortId!, "--follow"]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("task failed");
    expect(logs.stdout).toContain("GITHUB_NOT_CONFIGURED: GitHub is not configured");

    const shown = await cli(["show", shortId!]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("failed");
    expect(shown.stdout).toContain("GITHUB_NOT_CONFIGURED");
    expect(shown.stdout).toContain("fixline setup github");

    const task = await database.db.selectFrom("tasks").select(["state", "error_code"]).where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(task).toEqual({ state: "failed", error_code: "GITHUB_NOT_CONFIGURED" });

    // Nobody has GitHub write access here, yet the operator (FIXLINE_API_TOKEN) can always cancel.
    const cancelled = await cli(["cancel", shortId!]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    const after = await database.db.selectFrom("tasks").select("state").where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(after.state).toBe("cancelled");
  });

  it("a second start on the same port says PORT_IN_USE and the fix, with no stack", async () => {
    const second = await cli(["start"], { DATABASE_URL: database.url, REDIS_URL: redisUrl, FIXLINE_QUEUE_PREFIX: prefix, PORT: String(port), WORKSPACE_DIR: join(work, "workspaces"), LOG_LEVEL: "silent" });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`PORT_IN_USE: cannot listen on \\S+:${port}: the port is already in use`));
    expect(second.stderr).toContain("set PORT");
    expect(second.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  it("two SIGINTs at once (one Ctrl-C relayed by a wrapper) still mean one drain and exit 0", async () => {
    server.kill("SIGINT");
    server.kill("SIGINT");
    expect(await serverExit).toBe(0);
  });
});
