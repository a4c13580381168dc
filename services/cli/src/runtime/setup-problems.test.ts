import { describe, expect, it } from "vitest";
import { loadConfig } from "@fixline/core";
import { setupProblems } from "./setup-problems";

const broken = (env: Record<string, string>) =>
  setupProblems(loadConfig({ LOG_LEVEL: "silent", FIXLINE_API_TOKEN: "t", ...env }))
    .filter((p) => p.severity === "broken")
    .map((p) => p.text.split(" ")[0]);

describe("setupProblems", () => {
  it("a GitHub token without a webhook secret cannot receive @agent commands", () => {
    expect(broken({ GITHUB_TOKEN: "ghp_x" })).toEqual(["GITHUB_WEBHOOK_SECRET"]);
    expect(broken({ GITHUB_TOKEN: "ghp_x", GITHUB_WEBHOOK_SECRET: "s" })).toEqual([]);
  });

  it("a webhook secret without GitHub credentials accepts deliveries nothing can act on", () => {
    expect(broken({ GITHUB_WEBHOOK_SECRET: "s" })).toEqual(["GITHUB_WEBHOOK_SECRET"]);
  });

  it("Slack, Jira and Sentry halves without the other half", () => {
    expect(broken({ SLACK_BOT_TOKEN: "xoxb-1" })).toEqual(["SLACK_SIGNING_SECRET"]);
    expect(broken({ SLACK_SIGNING_SECRET: "s" })).toEqual(["SLACK_SIGNING_SECRET"]);
    expect(broken({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" })).toEqual([]);
    expect(broken({ JIRA_BASE_URL: "https://acme.atlassian.net", JIRA_EMAIL: "a@b.c", JIRA_API_TOKEN: "j" })).toEqual(["JIRA_WEBHOOK_SECRET"]);
    expect(broken({ SENTRY_AUTH_TOKEN: "sntrys_1" })).toEqual(["SENTRY_CLIENT_SECRET"]);
  });

  it("nothing configured is a working local setup; a missing API token is only a note", () => {
    expect(broken({})).toEqual([]);
    const notes = setupProblems(loadConfig({ LOG_LEVEL: "silent" })).filter((p) => p.severity === "note");
    expect(notes.map((n) => n.text.split(" ")[0])).toEqual(["FIXLINE_API_TOKEN"]);
  });
});
