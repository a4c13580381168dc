import { describe, expect, it } from "vitest";
import { sentryEventAlertWebhookSchema, sentryIssueWebhookSchema } from "./sentry-webhook";

describe("Sentry webhook payloads into the one Sentry shape (issue 18)", () => {
  it("reads an issue webhook's data.issue: metadata becomes errorType/errorValue, nulls are left out", () => {
    const facts = sentryIssueWebhookSchema.parse({
      id: 1170820242,
      title: "ReferenceError: foo is not defined",
      shortId: "FRONT-END-9",
      culprit: "?(src/app)",
      level: "error",
      permalink: null,
      count: 3,
      metadata: { type: "ReferenceError", value: "foo is not defined" },
      project: { slug: "front-end" },
    });
    expect(facts).toEqual({
      title: "ReferenceError: foo is not defined",
      sentry: { issueId: "1170820242", shortId: "FRONT-END-9", projectSlug: "front-end", culprit: "?(src/app)", level: "error", errorType: "ReferenceError", errorValue: "foo is not defined", count: "3" },
    });
  });

  it("reads an event alert's data.event: the thrown exception (last of a chain), its 30 nearest frames, the project from the URL", () => {
    const frames = Array.from({ length: 40 }, (_, i) => ({ filename: `f${i}.js`, function: `fn${i}`, lineno: i, context_line: null }));
    const facts = sentryEventAlertWebhookSchema.parse({
      issue_id: "42",
      event_id: "ev1",
      title: "TypeError: x",
      url: "https://sentry.io/api/0/projects/acme/shop/events/ev1/",
      web_url: "https://acme.sentry.io/issues/42/events/ev1/",
      exception: { values: [{ type: "CauseError", value: "cause" }, { type: "TypeError", value: "x is undefined", stacktrace: { frames } }] },
    });
    expect(facts.title).toBe("TypeError: x");
    expect(facts.sentry).toMatchObject({ issueId: "42", eventId: "ev1", projectSlug: "shop", permalink: "https://acme.sentry.io/issues/42/events/ev1/", errorType: "TypeError", errorValue: "x is undefined" });
    expect(facts.sentry.frames).toHaveLength(30);
    expect(facts.sentry.frames?.at(-1)).toEqual({ filename: "f39.js", function: "fn39", lineno: 39 });
  });

  it("falls back to metadata when the event has no exception, and refuses a payload without an issue id", () => {
    expect(sentryEventAlertWebhookSchema.parse({ issue_id: 7, metadata: { type: "Error", value: "boom" } }).sentry).toEqual({ issueId: "7", errorType: "Error", errorValue: "boom", frames: [] });
    expect(sentryEventAlertWebhookSchema.safeParse({ title: "no issue" }).success).toBe(false);
    expect(sentryIssueWebhookSchema.safeParse({ id: "" }).success).toBe(false);
  });
});
