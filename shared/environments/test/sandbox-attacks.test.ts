import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFixlineError, silentLogger, type SandboxConfig } from "@fixline/core";
import { ensureSandboxAvailable } from "@fixline/sandbox";
import { rejectionOf, testGit } from "@fixline/testing";
import { runTests, type CommandRunContext } from "../src/index";

/**
 * Issue 14, tried as an attacker would: a test the agent wrote runs inside the sandbox and goes looking for the
 * worker's secrets. Real bubblewrap, real processes, real git; secrets are planted on the worker's side first.
 */
const planted = {
  workerEnv: "planted-worker-env-secret-7f3a",
  npmrc: "planted-npm-token-91bc",
  claude: "planted-claude-credential-2d4e",
  otherWorktree: "planted-other-task-secret-55aa",
  dataDir: "planted-data-dir-secret-c0de",
};
const on: SandboxConfig = { mode: "on", memoryMb: 4096, maxProcesses: 1024, extraWritable: [] };

let root: string;
let worktree: string;
let otherWorktree: string;
let mirror: string;
let home: string;
let dataDir: string;
let fakeWorker: ChildProcess;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "fixline-sandbox-attack-"));
  // A stand-in worker: a long-lived process whose environment holds the secrets, as a real worker's does.
  fakeWorker = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { env: { PATH: "/usr/bin:/bin", GITHUB_TOKEN: planted.workerEnv }, stdio: "ignore" });
  home = join(root, "home");
  await mkdir(join(home, ".claude"), { recursive: true });
  await writeFile(join(home, ".npmrc"), `//registry.npmjs.org/:_authToken=${planted.npmrc}\n`);
  await writeFile(join(home, ".claude", ".credentials.json"), JSON.stringify({ token: planted.claude }));
  dataDir = join(root, "data");
  await mkdir(dataDir);
  await writeFile(join(dataDir, "pglite.db"), planted.dataDir);
  // The mirror and two tasks' worktrees, laid out as @fixline/git does: a bare repository with linked worktrees.
  const seed = join(root, "seed");
  await mkdir(seed);
  await testGit(["init", "-q", "-b", "main"], seed);
  await writeFile(join(seed, "README.md"), "hello\n");
  await testGit(["add", "."], seed);
  await testGit(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "seed"], seed);
  mirror = join(root, "mirror.git");
  execFileSync("git", ["clone", "-q", "--bare", seed, mirror]);
  worktree = join(root, "workspaces", "task-a");
  otherWorktree = join(root, "workspaces", "task-b");
  execFileSync("git", ["-C", mirror, "worktree", "add", "-q", "-b", "task-a", worktree, "main"]);
  execFileSync("git", ["-C", mirror, "worktree", "add", "-q", "-b", "task-b", otherWorktree, "main"]);
  await writeFile(join(otherWorktree, "secret.txt"), planted.otherWorktree);
});
afterAll(async () => {
  fakeWorker.kill("SIGKILL");
  await rm(root, { recursive: true, force: true });
});

const context = (overrides: Partial<CommandRunContext> = {}): CommandRunContext => ({
  worktree,
  taskId: "attack",
  redis: undefined,
  logger: silentLogger(),
  pathEnv: process.env.PATH,
  homeDir: home,
  sandbox: on,
  hiddenPaths: [dataDir],
  ...overrides,
});
const run = (command: string, overrides: Partial<CommandRunContext> = {}) => runTests(command, { ...context(overrides), env: {}, timeoutMs: 30_000 });

describe("a hostile test inside the sandbox", () => {
  it("finds none of the planted secrets in /proc, HOME, the other worktree or the data directory", async () => {
    const pid = fakeWorker.pid ?? 0;
    const result = await run(
      [
        "ls /proc | tr '\\n' ' '; echo",
        "cat /proc/1/environ /proc/*/environ 2>&1 | tr '\\0' '\\n'",
        `cat /proc/${pid}/environ /proc/${process.pid}/environ 2>&1`,
        `cat "$HOME/.npmrc" "$HOME/.claude/.credentials.json" ${join(home, ".npmrc")} 2>&1`,
        `cat ${join(otherWorktree, "secret.txt")} ${join(dataDir, "pglite.db")} 2>&1`,
        `ls ${join(root, "workspaces")} ${root} 2>&1`,
        "echo probe-done",
      ].join("; "),
    );
    expect(result.output).toContain("probe-done");
    for (const secret of Object.values(planted)) expect(result.output).not.toContain(secret);
    // The reads failed because the files do not exist in the sandbox, not because the command never ran.
    expect(result.output).toMatch(new RegExp(`/proc/${pid}/environ: No such file or directory`));
    expect(result.output).toMatch(/\.npmrc: No such file or directory/);
    expect(result.output).toMatch(/secret\.txt: No such file or directory/);
    // Only the sandbox's own handful of processes exist.
    const pids = (result.output.split("\n")[0] ?? "").split(" ").filter((entry) => /^\d+$/.test(entry));
    expect(pids.length).toBeLessThan(10);
  });

  it("reads the repository's git dir but cannot write its config, info/, hooks or refs", async () => {
    const result = await run(
      [
        "git log --oneline | head -1",
        `echo '[filter "x"]' >> ${join(mirror, "config")} && echo wrote-config`,
        `echo '* filter=x' > ${join(mirror, "info", "attributes")} && echo wrote-attributes`,
        `echo 'touch /tmp/pwned' > ${join(mirror, "hooks", "post-checkout")} && echo wrote-hook`,
        `echo 0000000000000000000000000000000000000000 > ${join(mirror, "refs", "heads", "task-b")} && echo wrote-ref`,
        "git commit -q --allow-empty -m sneaky 2>&1 && echo committed",
        "echo probe-done",
      ].join("; "),
    );
    expect(result.output).toContain("seed");
    expect(result.output).toContain("probe-done");
    for (const marker of ["wrote-config", "wrote-attributes", "wrote-hook", "wrote-ref", "committed"]) expect(result.output).not.toContain(marker);
    expect(result.output).toMatch(/Read-only file system/);
    expect(execFileSync("git", ["-C", mirror, "config", "--list"], { encoding: "utf8" })).not.toContain("filter.x");
  });

  it("cannot connect to the loopback Postgres port, unless the repository opted into the network", async () => {
    const probe = `node -e "require('net').connect(5432, '127.0.0.1').on('connect', () => { console.log('CONNECTED'); process.exit(0) }).on('error', (e) => { console.log('REFUSED ' + e.code); process.exit(1) })"`;
    const closed = await run(probe);
    expect(closed.output).toMatch(/REFUSED (ECONNREFUSED|ENETUNREACH)/);
    expect(closed.output).not.toContain("CONNECTED");
    // The same probe with the opt-in reaches the test Postgres: the check above can fail.
    const open = await run(probe, { network: true });
    expect(open.output).toContain("CONNECTED");
  });

  it("a fork bomb is stopped by the process limit, classified, and the worker lives on", async () => {
    const error = await rejectionOf(run("bomb() { bomb | bomb & }; bomb; sleep 60", { sandbox: { ...on, maxProcesses: 64 } }));
    expect(isFixlineError(error, "SANDBOX_LIMIT_EXCEEDED")).toBe(true);
    expect((error as { details?: { limit?: string } }).details?.limit).toBe("processes");
    const after = await run("echo still-serving");
    expect(after.output).toContain("still-serving");
  });

  it("a 10 GB allocation is stopped by the memory limit and classified", async () => {
    const allocate = `node -e "const a = []; for (let i = 0; i < 160; i++) a.push(Buffer.alloc(64 * 1024 * 1024, 1)); console.log('ALLOCATED 10GB')"`;
    const error = await rejectionOf(run(allocate, { sandbox: { ...on, memoryMb: 256 } }));
    expect(isFixlineError(error, "SANDBOX_LIMIT_EXCEEDED")).toBe(true);
    expect((error as { details?: { limit?: string } }).details?.limit).toBe("memory");
  });

  it("runs unsandboxed only with an explicit FIXLINE_SANDBOX=off (then the worker's /proc is visible)", async () => {
    const result = await run(`test -e /proc/${process.pid} && echo worker-visible`, { sandbox: { ...on, mode: "off" } });
    expect(result.output).toContain("worker-visible");
    const sandboxed = await run(`test -e /proc/${process.pid} && echo worker-visible; echo done`);
    expect(sandboxed.output).not.toContain("worker-visible");
  });

  it("fails closed with SANDBOX_UNAVAILABLE and the fix when bubblewrap is missing", () => {
    let caught: unknown;
    try {
      ensureSandboxAvailable("/nonexistent-bin");
    } catch (error) {
      caught = error;
    }
    expect(isFixlineError(caught, "SANDBOX_UNAVAILABLE")).toBe(true);
    expect((caught as Error).message).toMatch(/apt-get install bubblewrap/);
  });
});
