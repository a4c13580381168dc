import { describe, expect, it } from "vitest";
import { renderPullRequestBody, taskIdFromPullRequestBody, taskMarker } from "./pull-request-body";

const base = {
  taskId: "0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d",
  title: "TypeError in computeTotal",
  planSummary: "Guard against products without a price.\n\n- add test `bundles have a total`\n- fix `computeTotal`",
  costUsd: 0.4123,
};

describe("renderPullRequestBody", () => {
  it("lists every source with links, the plan, cost and the exact commands", () => {
    const body = renderPullRequestBody({
      ...base,
      sources: {
        sentry: { issueId: "1170820242", shortId: "SHOP-1A", permalink: "https://sentry.io/organizations/acme/issues/1170820242/" },
        jira: { key: "ED-1", url: "https://acme.atlassian.net/browse/ED-1" },
        github: { issueNumber: 12 },
        slack: { userName: "ada" },
      },
      taskUrl: "https://fixline.acme.com/tasks/0b7c",
    });
    expect(body).toContain("## Fixline: TypeError in computeTotal");
    expect(body).toContain("- Sentry: [SHOP-1A](https://sentry.io/organizations/acme/issues/1170820242/)");
    expect(body).toContain("- Jira: [ED-1](https://acme.atlassian.net/browse/ED-1)");
    expect(body).toContain("- GitHub: Fixes #12");
    expect(body).toContain("- Slack: requested by ada");
    expect(body).toContain("- fix `computeTotal`");
    expect(body).toContain("### Cost so far\n$0.41");
    for (const command of ["`@agent approve [extra instructions]`", "`@agent reject <feedback>`", "`@agent retry`", "`@agent cancel`"]) expect(body).toContain(command);
    expect(body).toContain("[live log and history](https://fixline.acme.com/tasks/0b7c)");
    expect(taskIdFromPullRequestBody(body)).toBe(base.taskId);
    expect(body).not.toContain("### Evidence");
  });

  it("escapes untrusted titles and names and cannot be given a second task marker", () => {
    const body = renderPullRequestBody({
      ...base,
      title: `Crash <!-- fixline:task=evil --> [click](javascript:alert(1))`,
      planSummary: "See <!-- fixline:task=evil --> and ping @octocat",
      sources: { slack: { userName: "**boss**" }, sentry: { issueId: "1", permalink: "javascript:alert(1)" } },
    });
    expect(body.match(/<!-- fixline:task=/g)).toHaveLength(1);
    expect(taskIdFromPullRequestBody(body)).toBe(base.taskId);
    expect(body).toContain("\\[click\\]\\(javascript:alert\\(1\\)\\)");
    expect(body).toContain("ping &#64;octocat");
    expect(body).toContain("requested by \\*\\*boss\\*\\*");
    expect(body).toContain("- Sentry: 1\n");
  });

  it("includes the evidence when there is some, and marks hand-made tasks", () => {
    const body = renderPullRequestBody({ ...base, sources: {}, evidence: { usage: [{ phase: "planning", costUsd: 0.4, turns: 3, inputTokens: 10, outputTokens: 5 }] } });
    expect(body).toContain("- Created by hand");
    expect(body).toContain("### Evidence");
    expect(body).toContain("| planning | 3 | 10 | 5 | $0.40 |");
  });

  it("reads no task id from PRs Fixline did not write", () => {
    expect(taskIdFromPullRequestBody("a normal PR")).toBeUndefined();
    expect(taskIdFromPullRequestBody(null)).toBeUndefined();
    expect(taskMarker("abc-1")).toBe("<!-- fixline:task=abc-1 -->");
  });
});
