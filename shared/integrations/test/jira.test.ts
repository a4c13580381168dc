import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isFixlineError, loadConfig, silentLogger } from "@fixline/core";
import { startFakeJira, type FakeJira, rejectionOf } from "@fixline/testing";
import { adf, createJira, planReadyJiraComment, type JiraClient } from "../src";

describe("Jira client against the fake Jira", () => {
  let fake: FakeJira;
  let jira: JiraClient;

  beforeEach(async () => {
    fake = await startFakeJira({ email: "bot@acme.test", apiToken: "jira-secret" });
    fake.addIssue("ED-1", {
      summary: "Checkout total is NaN",
      description: adf.doc(adf.paragraph("Steps: add an item ", adf.link("without price", "https://shop/p/1"))),
      reporter: "Grace Hopper",
    });
    jira = createJira(loadConfig({ JIRA_BASE_URL: fake.url, JIRA_EMAIL: "bot@acme.test", JIRA_API_TOKEN: "jira-secret" }), silentLogger())!;
  });
  afterEach(async () => {
    await fake.close();
  });

  it("is undefined without JIRA_BASE_URL", () => {
    expect(createJira(loadConfig({}), silentLogger())).toBeUndefined();
  });

  it("reads an issue with basic auth and renders its ADF description", async () => {
    const issue = await jira.getIssue("ED-1");
    expect(issue).toMatchObject({
      key: "ED-1",
      summary: "Checkout total is NaN",
      status: "To Do",
      projectKey: "ED",
      reporter: "Grace Hopper",
      descriptionText: "Steps: add an item without price (https://shop/p/1)",
      url: `${fake.url}/browse/ED-1`,
    });
    expect(fake.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from("bot@acme.test:jira-secret").toString("base64")}`);
  });

  it("adds rendered ADF comments", async () => {
    const body = planReadyJiraComment({
      taskId: "t-1",
      rootCause: "price is undefined for bundles",
      affectedFiles: ["src/cart/total.ts"],
      test: { name: "bundles have a total", file: "test/total.test.ts" },
      prUrl: "https://github.com/acme/shop/pull/3",
      costUsd: 0.3,
    });
    const { id } = await jira.addComment("ED-1", body);
    expect(fake.state.issues.get("ED-1")?.comments).toEqual([expect.objectContaining({ id, body })]);
  });

  it("a comment body that is not ADF is INTEGRATION_REJECTED (400)", async () => {
    const error = await rejectionOf(jira.addComment("ED-1", { type: "doc", version: 2 } as never));
    expect(isFixlineError(error, "INTEGRATION_REJECTED")).toBe(true);
    expect((error as Error).message).toContain("POST /rest/api/3/issue/ED-1/comment was rejected (HTTP 400)");
  });

  it("transitions by name case-insensitively; being there already is success", async () => {
    expect(await jira.transition("ED-1", "in progress")).toEqual({ transitioned: true });
    expect(fake.state.issues.get("ED-1")?.status).toBe("In Progress");
    const post = fake.received.find((request) => request.method === "POST" && request.path.endsWith("/transitions"));
    expect(post?.body).toEqual({ transition: { id: "21" } });

    expect(await jira.transition("ED-1", "In Progress")).toEqual({ transitioned: false });
    const error = await rejectionOf(jira.transition("ED-1", "Shipped"));
    expect(isFixlineError(error, "INTEGRATION_REJECTED")).toBe(true);
    expect((error as Error).message).toContain("available: To Do, In Review, Done");
  });

  it("a missing issue is rejected with Jira's own message; 5xx is retryable", async () => {
    const missing = await rejectionOf(jira.getIssue("ED-404"));
    expect(isFixlineError(missing, "INTEGRATION_REJECTED")).toBe(true);
    expect((missing as Error).message).toContain("HTTP 404): Issue does not exist");

    fake.failNext(503);
    const outage = await rejectionOf(jira.getIssue("ED-1"));
    expect(isFixlineError(outage, "INTEGRATION_FAILED")).toBe(true);
    expect((outage as { retryable: boolean }).retryable).toBe(true);
  });

  it("myself() checks the credentials for doctor; bad ones are 401", async () => {
    expect(await jira.myself()).toMatchObject({ displayName: "Fixline Bot", emailAddress: "bot@acme.test" });
    const bad = createJira(loadConfig({ JIRA_BASE_URL: fake.url, JIRA_EMAIL: "bot@acme.test", JIRA_API_TOKEN: "nope" }), silentLogger())!;
    const error = await rejectionOf(bad.myself());
    expect(isFixlineError(error, "INTEGRATION_REJECTED")).toBe(true);
    expect((error as Error).message).toContain("HTTP 401");
  });
});
