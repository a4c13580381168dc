import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@fixline/core";
import { claudeAuthStatus } from "../src/index";
import { createFakeClaude, fakeScenarios, type FakeClaude } from "@fixline/testing";

describe("claudeAuthStatus", () => {
  let fake: FakeClaude;
  beforeAll(async () => {
    fake = await createFakeClaude({ scenario: fakeScenarios.success() });
  });
  afterAll(async () => {
    await fake.cleanup();
  });

  it("reports logged in when the configured auth variable reaches the CLI", async () => {
    const status = await claudeAuthStatus(loadConfig({ PATH: process.env.PATH, CLAUDE_BIN: fake.bin, ANTHROPIC_API_KEY: "sk-ant-x" }));
    expect(status).toMatchObject({ ok: true, loggedIn: true, authMethod: "api_key", error: undefined });
  });

  it("reports CLAUDE_NOT_AUTHENTICATED without credentials, even if the parent process has some", async () => {
    // The worker's own environment is not the CLI's: only config.claude.authEnv is passed.
    const status = await claudeAuthStatus(loadConfig({ PATH: process.env.PATH, CLAUDE_BIN: fake.bin }));
    expect(status.loggedIn).toBe(false);
    expect(status.error?.code).toBe("CLAUDE_NOT_AUTHENTICATED");
    expect(status.raw).toMatchObject({ loggedIn: false, authMethod: "none" });
  });

  it("reports CLAUDE_NOT_FOUND for a missing binary", async () => {
    const status = await claudeAuthStatus(loadConfig({ PATH: process.env.PATH, CLAUDE_BIN: "/nonexistent/claude" }));
    expect(status.error?.code).toBe("CLAUDE_NOT_FOUND");
    expect(status.error?.hint).toMatch(/CLAUDE_BIN/);
  });
});
