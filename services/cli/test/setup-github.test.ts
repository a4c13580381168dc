import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@fixline/core";
import { startFakeGitHub, waitFor, type FakeGitHub } from "@fixline/testing";
import { loadDotEnv } from "../src/runtime/load-dot-env";

/**
 * `fixline setup github` (issue 17) against the fake GitHub, as a person would go through it: the real CLI
 * process serves the local page, the "browser" (this test) posts its form to GitHub's new-App page, follows
 * GitHub's redirect back with the code, and the CLI exchanges it and writes the App's credentials to .env.
 */
const launcher = fileURLToPath(new URL("../../../scripts/fixline.mjs", import.meta.url));
let github: FakeGitHub;
let dir: string;

beforeAll(async () => {
  github = await startFakeGitHub();
  dir = await mkdtemp(join(tmpdir(), "fixline-setup-github-"));
});

afterAll(async () => {
  await github?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const decodeHtml = (text: string) => text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));

describe("fixline setup github", () => {
  it("creates the App from a manifest and writes its id, key and webhook secret to .env; a forged redirect writes nothing", async () => {
    const envFile = join(dir, ".env");
    const child = spawn(process.execPath, [launcher, "setup", "github", "--env-path", envFile, "--name", "fixline-test"], {
      env: { PATH: process.env.PATH, HOME: dir, GIT_BASE_URL: github.url, GITHUB_API_URL: github.url, FIXLINE_PUBLIC_URL: "https://fixline.example.com", NODE_ENV: "test" },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const local = await waitFor(() => /Open (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1], { what: `the local page (so far: ${out})`, timeoutMs: 30_000 });

      const form = await (await fetch(`${local}/`)).text();
      const action = decodeHtml(/<form method="post" action="([^"]+)"/.exec(form)![1]!);
      const manifestText = decodeHtml(/name="manifest" value="([^"]+)"/.exec(form)![1]!);
      const manifest = JSON.parse(manifestText) as Record<string, unknown>;
      expect(action).toMatch(new RegExp(`^${github.url}/settings/apps/new\\?state=[0-9a-f]{32}$`));
      expect(manifest).toMatchObject({
        name: "fixline-test",
        hook_attributes: { url: "https://fixline.example.com/webhooks/github" },
        redirect_url: `${local}/callback`,
        public: false,
        default_permissions: { contents: "write", pull_requests: "write", issues: "write" },
        default_events: ["issues", "issue_comment", "pull_request"],
      });
      expect(manifest.default_permissions).not.toHaveProperty("workflows");

      // An attacker's redirect (a guessed or stale state) is refused before any exchange, and writes nothing.
      const forged = await fetch(`${local}/callback?code=abc123&state=${"0".repeat(32)}`);
      expect(forged.status).toBe(400);
      expect(github.received.some((r) => r.path.includes("/app-manifests/"))).toBe(false);
      await expect(stat(envFile)).rejects.toThrow(/ENOENT/);

      // The browser posts the manifest to GitHub; GitHub sends it back with the one-time code.
      const confirm = await fetch(action, { method: "POST", body: new URLSearchParams({ manifest: manifestText }), redirect: "manual" });
      expect(confirm.status).toBe(302);
      const back = confirm.headers.get("location")!;
      expect(back.startsWith(`${local}/callback?code=`)).toBe(true);
      const done = await fetch(back);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain("GitHub App fixline-test created");
      expect(await exit, out).toBe(0);

      const app = github.manifestApps[0]!;
      const env: NodeJS.ProcessEnv = {};
      loadDotEnv(envFile, env);
      expect(env).toMatchObject({ GITHUB_APP_ID: app.id, GITHUB_WEBHOOK_SECRET: app.webhookSecret, GITHUB_OAUTH_CLIENT_ID: app.clientId, GITHUB_OAUTH_CLIENT_SECRET: app.clientSecret });
      expect((await stat(envFile)).mode & 0o777).toBe(0o600);
      const keyFile = env.GITHUB_APP_PRIVATE_KEY_FILE!;
      expect(await readFile(keyFile, "utf8")).toBe(app.pem);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      // What was written is a configuration Fixline accepts as a GitHub App.
      const config = loadConfig({ ...env, LOG_LEVEL: "silent" });
      expect(config.github).toMatchObject({ appId: app.id, appPrivateKey: app.pem.trim(), webhookSecrets: [app.webhookSecret] });
      expect(out).toContain(`install it on your repositories at https://github.com/apps/fixline-test/installations/new`);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
