import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDotEnv } from "./load-dot-env";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fixline-dotenv-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadDotEnv", () => {
  it("sets what is missing and never overrides a variable already set, even an empty one", async () => {
    const file = join(dir, ".env");
    await writeFile(file, ['# a comment', 'GITHUB_TOKEN=from-file', 'PORT=4000', 'LOG_LEVEL="debug"', 'SLACK_CHANNEL=', "GITHUB_APP_PRIVATE_KEY=\"-----BEGIN\\nKEY\"", ""].join("\n"));
    const env: NodeJS.ProcessEnv = { PORT: "3000", SLACK_CHANNEL: "" };
    expect(loadDotEnv(file, env).sort()).toEqual(["GITHUB_APP_PRIVATE_KEY", "GITHUB_TOKEN", "LOG_LEVEL"]);
    expect(env).toMatchObject({ GITHUB_TOKEN: "from-file", PORT: "3000", LOG_LEVEL: "debug", SLACK_CHANNEL: "" });
    expect(env.GITHUB_APP_PRIVATE_KEY).toBe("-----BEGIN\nKEY");
  });

  it("a missing file is no error and sets nothing", () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadDotEnv(join(dir, "absent.env"), env)).toEqual([]);
    expect(env).toEqual({});
  });
});
