import { chmod, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, createRedactor, isFixlineError } from "@fixline/core";
import { createWorkspaces } from "../src/index";
import { createBareRemote, git, tempDirs } from "./bare-remote";
import { startGitHttpServer, type GitHttpServer } from "./git-http-server";

const dirs = tempDirs();
let server: GitHttpServer | undefined;
afterEach(async () => {
  delete process.env.FIXLINE_GIT_TEST_WORKER_SECRET;
  await server?.close();
  server = undefined;
  await dirs.cleanup();
});

const token = "ghs_TestInstallationToken0123456789abcdef";
const tokenBase64 = Buffer.from(`x-access-token:${token}`).toString("base64");

/** A `git` that appends its argv and environment to a file, then runs the real git. */
async function recordingGit(dir: string): Promise<{ bin: string; records: () => Promise<{ argv: string; env: string }[]> }> {
  const log = join(dir, "calls.log");
  const bin = join(dir, "git");
  await writeFile(bin, `#!/bin/sh\n{ printf 'ARGV'; printf ' %s' "$@"; printf '\\n'; env; printf '@@END@@\\n'; } >> '${log}'\nexec git "$@"\n`);
  await chmod(bin, 0o755);
  return {
    bin,
    async records() {
      const text = await readFile(log, "utf8");
      return text
        .split("@@END@@\n")
        .filter((chunk) => chunk.startsWith("ARGV"))
        .map((chunk) => {
          const newline = chunk.indexOf("\n");
          return { argv: chunk.slice(0, newline), env: chunk.slice(newline + 1) };
        });
    },
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("credentials over an authenticated HTTP remote", () => {
  it("authenticates fetch and push with the token but never persists, logs or leaks it", async () => {
    // A secret of the worker's own, to show that nothing of its environment reaches git.
    process.env.FIXLINE_GIT_TEST_WORKER_SECRET = "worker-secret-value";
    const remote = await createBareRemote(dirs);
    server = await startGitHttpServer(remote.baseDir, token);
    const workspaceDir = await dirs.make("ws");
    const recorder = await recordingGit(await dirs.make("bin"));
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger({ level: "debug", destination });
    let tokenRequests = 0;
    const workspaces = createWorkspaces({
      workspaceDir,
      gitBaseUrl: server.url,
      author: { name: "Fixline", email: "fixline@example.com" },
      redactor: createRedactor([]),
      getToken: async () => {
        tokenRequests++;
        return token;
      },
      logger,
      pathEnv: process.env.PATH,
      gitBin: recorder.bin,
    });

    const ws = await workspaces.prepare({ taskId: "cafe0001-token", repo: remote.repo, branch: "fixline/cafe0001-token" });
    await writeFile(join(ws.path, "fix.txt"), "fixed\n");
    const sha = await workspaces.commitAll(ws.path, "fix");
    await workspaces.push(ws.path, ws.branch);
    expect(await remote.refSha(`refs/heads/${ws.branch}`)).toBe(sha);
    expect(tokenRequests).toBeGreaterThanOrEqual(2);
    expect(server.authorizations.length).toBeGreaterThan(0);
    expect(server.authorizations.every((header) => header === `Basic ${tokenBase64}`)).toBe(true);

    // A rejected push: the error (message, details) carries no credentials either.
    await remote.pushAsSomeoneElse(ws.branch, "theirs.txt", "theirs\n");
    await writeFile(join(ws.path, "more.txt"), "more\n");
    await workspaces.commitAll(ws.path, "more");
    const rejected = await workspaces.push(ws.path, ws.branch).catch((e: unknown) => e);
    expect(isFixlineError(rejected, "PUSH_REJECTED")).toBe(true);
    expect(JSON.stringify({ message: (rejected as Error).message, details: (rejected as { details?: unknown }).details })).not.toContain(token);

    const mirror = join(workspaceDir, "mirrors/acme/widget.git");
    const remotes = await git(ws.path, "remote", "-v");
    expect(remotes).toContain(`${server.url}/acme/widget.git`);
    for (const text of [remotes, await git(ws.path, "config", "--list", "--show-origin")]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(tokenBase64);
    }
    // Nothing written in the workspace directory (mirror config, worktree metadata, checkout) holds it.
    for (const file of await filesUnder(workspaceDir)) {
      const content = await readFile(file, "latin1");
      expect(content.includes(token) || content.includes(tokenBase64), file).toBe(false);
    }
    expect(await readFile(join(mirror, "config"), "utf8")).not.toContain("extraHeader");

    const logText = lines.join("");
    expect(logText).toContain('"git":"git push'); // the debug lines are there...
    expect(logText).not.toContain(token); // ...without the token
    expect(logText).not.toContain(tokenBase64);

    const records = await recorder.records();
    const network = records.filter((r) => /^ARGV .* (fetch|push|ls-remote) /.test(r.argv));
    const local = records.filter((r) => !network.includes(r));
    expect(network.length).toBeGreaterThanOrEqual(3);
    expect(local.length).toBeGreaterThan(5);
    for (const record of records) {
      expect(record.argv).not.toContain(token);
      expect(record.argv).not.toContain(tokenBase64);
      expect(record.env).not.toContain(token); // not even the raw token: only the header form, below
      expect(record.env).not.toContain("worker-secret-value");
      expect(record.env).toContain("GIT_TERMINAL_PROMPT=0");
    }
    for (const record of network) expect(record.env).toContain(`GIT_CONFIG_VALUE_0=Authorization: Basic ${tokenBase64}`);
    for (const record of local) expect(record.env).not.toContain(tokenBase64);
  });

  it("fails the clone without credentials, saying nothing of a token", async () => {
    const remote = await createBareRemote(dirs);
    server = await startGitHttpServer(remote.baseDir, token);
    const workspaces = createWorkspaces({
      workspaceDir: await dirs.make("ws"),
      gitBaseUrl: server.url,
      author: { name: "Fixline", email: "fixline@example.com" },
      redactor: createRedactor([]),
      getToken: async () => "wrong-token-value",
      logger: createLogger({ level: "silent" }),
      pathEnv: process.env.PATH,
    });
    const error = await workspaces.prepare({ taskId: "cafe0002-denied", repo: remote.repo, branch: "fixline/x" }).catch((e: unknown) => e);
    expect(isFixlineError(error)).toBe(true);
    expect(["CLONE_FAILED", "REPO_NOT_FOUND"]).toContain((error as { code: string }).code);
    expect(String((error as Error).message)).not.toContain("wrong-token-value");
  });
});
