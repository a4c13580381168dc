import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, waitFor } from "@fixline/testing";
import { deleteRedisKeys } from "./support/delete-redis-keys";

/**
 * Issue 17's "done means", as a newcomer does it: a fresh clone, `make setup services` (what `make start` runs
 * before it exec's the launcher), then `./fixline start` with nothing in the environment but PATH and HOME
 * (embedded PGlite, the local Redis; only PORT and a queue prefix of the test's own, in the clone's `.env`
 * where a person would put them). Headless Chromium signs in with what the banner printed and sees the task
 * list, `./fixline run` and `./fixline tasks` work from a new shell, and SIGINT to the process group means one
 * drain, exit 0 and no process left.
 */
const source = fileURLToPath(new URL("..", import.meta.url));
const chromiumPath = "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);
const exec = promisify(execFile);
// A newcomer's shell: the system PATH only, no Node or pnpm on it (make and ./fixline provision them).
const plainPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const shellEnv = { PATH: plainPath, HOME: process.env.HOME ?? "/root" };
const prefix = `fixline-newcomer-${randomBytes(4).toString("hex")}`;
const redisUrl = "redis://127.0.0.1:6379";

let work: string;
let clone: string;
let server: ChildProcessWithoutNullStreams | undefined;
let output = "";
let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let context: BrowserContext | undefined;
let userDataDir: string | undefined;
const taskTitle = `Cart total is off by one cent ${randomBytes(3).toString("hex")}`;


/** Processes still alive in a process group (ps lists none once every member has exited). */
async function groupMembers(pgid: number): Promise<string[]> {
  const { stdout } = await exec("ps", ["-o", "pid=,args=", "-g", String(pgid)]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  return stdout.split("\n").map((l) => l.trim()).filter(Boolean);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "fixline-newcomer-"));
  clone = join(work, "fixline");
  await exec("git", ["clone", "--quiet", "--no-hardlinks", source, clone]);
  const port = await freePort();
  writeFileSync(join(clone, ".env"), `PORT=${port}\nFIXLINE_QUEUE_PREFIX=${prefix}\n`);
  // make setup installs from the warm store and compiles the CLI; make services checks Redis (PGlite needs no server).
  await exec("make", ["-s", "setup", "services"], { cwd: clone, env: shellEnv, maxBuffer: 32 * 1024 * 1024 });
  server = spawn("./fixline", ["start"], { cwd: clone, env: shellEnv, detached: true });
  server.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  exit = new Promise((resolve) => server!.on("close", (code, signal) => resolve({ code, signal })));
  await waitFor(() => output.includes("Press Ctrl-C to stop."), { what: `the start banner (so far: ${output.slice(-600)})`, timeoutMs: 60_000 });
}, 150_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  if (server?.pid && server.exitCode === null && server.signalCode === null) process.kill(-server.pid, "SIGKILL");
  await deleteRedisKeys(redisUrl, prefix).catch(() => {});
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("a newcomer on a fresh clone", () => {
  it("the banner tells the truth: embedded roles, why the agents do not run, and how to sign in", () => {
    expect(output).toContain("Fixline is running (all): webhook server, notify, hooks.");
    expect(output).toContain("planner and executor not started: GitHub is not configured");
    expect(output).toMatch(/Dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    expect(output).toMatch(/Sign in with FIXLINE_API_TOKEN=\S+/);
    expect(output).toContain(`saved to ${join(clone, ".env")}`);
  });

  it("the launcher creates and lists tasks from a new shell", async () => {
    const run = await exec(join(clone, "fixline"), ["run", taskTitle, "--repo", "acme/shop"], { cwd: work, env: shellEnv });
    expect(run.stdout).toMatch(/\b[0-9a-f]{8}\b/);
    const listed = await exec(join(clone, "fixline"), ["tasks"], { cwd: work, env: shellEnv });
    expect(listed.stdout).toContain(taskTitle.slice(0, 20));
  });

  it.skipIf(!hasChromium)("headless Chromium opens the printed dashboard, signs in with the printed token and sees the task list", async () => {
    const url = /Dashboard: (http:\/\/\S+?)\/\s/.exec(output)![1]!;
    const token = /Sign in with FIXLINE_API_TOKEN=(\S+)/.exec(output)![1]!;
    userDataDir = mkdtempSync(join(tmpdir(), "fixline-chromium-newcomer-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${url}/`);
    // Without GitHub sign-in configured, the printed token is the operator's: the sign-in card's Operator form.
    await page.locator("details summary", { hasText: "Operator" }).click();
    await page.locator("#signin-token").fill(token);
    await page.getByRole("button", { name: "Sign in as operator" }).click();
    const rows = page.locator("#task-rows");
    await rows.waitFor();
    await page.getByText(taskTitle).first().waitFor({ timeout: 15_000 });
    expect(await rows.textContent()).toContain(taskTitle);
    // The task cannot proceed without GitHub: the dashboard says why, with the fix, instead of "received" forever.
    await page.getByText(taskTitle).first().click();
    const error = page.locator(".task-head .error, span.error").first();
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toContain("GITHUB_NOT_CONFIGURED: GitHub is not configured");
  });

  it("SIGINT to the process group: one drain, exit 0, nothing left running", async () => {
    const pgid = server!.pid!;
    process.kill(-pgid, "SIGINT");
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(output.match(/shutting down: draining work/g)).toHaveLength(1);
    expect(output).toContain("Fixline stopped");
    expect(output).not.toMatch(/ELIFECYCLE|exiting now/);
    expect(await groupMembers(pgid)).toEqual([]);
  });

  it("make start, then Ctrl-C to the group: one drain, and no ELIFECYCLE or make error on the way out", async () => {
    const make = spawn("make", ["-s", "start"], { cwd: clone, env: shellEnv, detached: true });
    let out = "";
    make.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    make.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => make.on("close", (code, signal) => resolve({ code, signal })));
    try {
      await waitFor(() => out.includes("Press Ctrl-C to stop."), { what: `make start's banner (so far: ${out.slice(-600)})`, timeoutMs: 90_000 });
      process.kill(-make.pid!, "SIGINT");
      // make itself dies of the SIGINT it received (the shell shows 130), after its child drained and exited 0.
      expect(await ended).toEqual({ code: null, signal: "SIGINT" });
      expect(out.match(/shutting down: draining work/g)).toHaveLength(1);
      expect(out).toContain("Fixline stopped");
      expect(out).not.toMatch(/ELIFECYCLE|make: \*\*\*|exiting now/);
      expect(await groupMembers(make.pid!)).toEqual([]);
    } finally {
      if (make.exitCode === null && make.signalCode === null) process.kill(-make.pid!, "SIGKILL");
    }
  }, 120_000);
});
