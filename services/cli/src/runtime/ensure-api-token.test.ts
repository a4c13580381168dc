import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureApiToken } from "./ensure-api-token";
import { loadDotEnv } from "./load-dot-env";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fixline-token-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("ensureApiToken", () => {
  it("makes a token, appends it to .env readable only by the owner, and the next shell reads the same one", async () => {
    const envPath = join(dir, ".env");
    await writeFile(envPath, "SLACK_CHANNEL=C1"); // no trailing newline
    const env: NodeJS.ProcessEnv = {};
    const ensured = ensureApiToken(envPath, env);
    expect(ensured?.savedTo).toBe(envPath);
    expect(ensured!.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(env.FIXLINE_API_TOKEN).toBe(ensured!.token);
    expect((await stat(envPath)).mode & 0o777).toBe(0o600);
    const next: NodeJS.ProcessEnv = {};
    loadDotEnv(envPath, next);
    expect(next).toEqual({ SLACK_CHANNEL: "C1", FIXLINE_API_TOKEN: ensured!.token });
  });

  it("never replaces a token that was given, directly or as a file", async () => {
    const envPath = join(dir, "untouched.env");
    expect(ensureApiToken(envPath, { FIXLINE_API_TOKEN: "mine" })).toBeUndefined();
    expect(ensureApiToken(envPath, { FIXLINE_API_TOKEN_FILE: "/run/secrets/token" })).toBeUndefined();
    // Sign in with GitHub is configured: the dashboard works without an operator token, so none is minted.
    expect(ensureApiToken(envPath, { GITHUB_OAUTH_CLIENT_ID: "Iv23abc" })).toBeUndefined();
    await expect(readFile(envPath)).rejects.toThrow(/ENOENT/);
  });

  it("production and test processes keep the API shut and never write .env", async () => {
    const envPath = join(dir, "prod.env");
    for (const NODE_ENV of ["production", "test"]) {
      const env: NodeJS.ProcessEnv = { NODE_ENV };
      expect(ensureApiToken(envPath, env)).toBeUndefined();
      expect(env.FIXLINE_API_TOKEN).toBeUndefined();
    }
    await expect(readFile(envPath)).rejects.toThrow(/ENOENT/);
  });

  it("still gives this run a token when .env cannot be written", () => {
    const env: NodeJS.ProcessEnv = {};
    const ensured = ensureApiToken(join(dir, "missing-dir", ".env"), env);
    expect(ensured?.savedTo).toBeUndefined();
    expect(env.FIXLINE_API_TOKEN).toBe(ensured!.token);
  });
});
