import { describe, expect, it } from "vitest";
import { buildMcpConfig } from "./build-mcp-config";

const template = {
  mcpServers: {
    sentry: { type: "http", url: "${SENTRY_API_URL:-https://mcp.sentry.dev/mcp}", headers: { Authorization: "Bearer ${SENTRY_AUTH_TOKEN}" } },
    jira: { type: "stdio", command: "npx", args: ["-y", "mcp-atlassian"], env: { JIRA_URL: "${JIRA_BASE_URL}", JIRA_TOKEN: "${JIRA_API_TOKEN}" } },
    github: { type: "stdio", command: "github-mcp", env: { GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}" } },
    fetch: { type: "stdio", command: "mcp-fetch" },
  },
};

describe("buildMcpConfig", () => {
  it("substitutes ${VAR} and ${VAR:-default} and drops servers whose variables are unset", () => {
    const built = buildMcpConfig(template, { SENTRY_AUTH_TOKEN: "sntrys_abc", JIRA_BASE_URL: "https://acme.atlassian.net" });
    expect(built.kept).toEqual(["sentry", "fetch"]);
    expect(built.config.mcpServers.sentry).toEqual({ type: "http", url: "https://mcp.sentry.dev/mcp", headers: { Authorization: "Bearer sntrys_abc" } });
    expect(built.dropped).toEqual([
      { name: "jira", missing: ["JIRA_API_TOKEN"] },
      { name: "github", missing: ["GITHUB_TOKEN"] },
    ]);
  });

  it("never substitutes Fixline's own secrets, even when they are set", () => {
    const built = buildMcpConfig(template, { GITHUB_TOKEN: "ghp_push_token" });
    expect(built.kept).not.toContain("github");
    expect(JSON.stringify(built.config)).not.toContain("ghp_push_token");
  });

  it("treats empty values as unset", () => {
    expect(buildMcpConfig(template, { SENTRY_AUTH_TOKEN: "" }).kept).toEqual(["fetch"]);
  });

  it("keeps only the servers a phase asks for", () => {
    expect(buildMcpConfig(template, { SENTRY_AUTH_TOKEN: "t" }, { only: ["sentry"] }).kept).toEqual(["sentry"]);
  });

  it("accepts an empty template and rejects a malformed one", () => {
    expect(buildMcpConfig({}, {}).config).toEqual({ mcpServers: {} });
    expect(() => buildMcpConfig({ mcpServers: [] }, {})).toThrow(/mcpServers/);
  });
});
