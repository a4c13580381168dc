import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isFixlineError, loadConfig, silentLogger } from "@fixline/core";
import { startFakeSentry, type FakeSentry, rejectionOf } from "@fixline/testing";
import { createSentry, type SentryClient } from "../src";

describe("Sentry client against the fake Sentry", () => {
  let fake: FakeSentry;
  let sentry: SentryClient;

  beforeEach(async () => {
    fake = await startFakeSentry({ token: "sntrys_test", issueIds: ["1170820242"] });
    sentry = createSentry(loadConfig({ SENTRY_AUTH_TOKEN: "sntrys_test", SENTRY_API_URL: fake.apiUrl }), silentLogger())!;
  });
  afterEach(async () => {
    await fake.close();
  });

  it("is undefined without an auth token", () => {
    expect(createSentry(loadConfig({}), silentLogger())).toBeUndefined();
  });

  it("reads the latest event's exception, frames, tags and release", async () => {
    const event = await sentry.getLatestEvent("1170820242");
    expect(fake.received[0]).toMatchObject({ method: "GET", path: "/api/0/issues/1170820242/events/latest/" });
    expect(fake.received[0]?.headers.authorization).toBe("Bearer sntrys_test");
    expect(event.errorType).toBe("TypeError");
    expect(event.errorValue).toBe("Cannot read properties of undefined (reading 'price')");
    expect(event.release).toBe("shop@1.4.2");
    expect(event.tags.environment).toBe("production");
    expect(event.frames.at(-1)).toEqual({
      filename: "src/cart/total.ts",
      function: "computeTotal",
      lineno: 12,
      context_line: "    return sum + item.product.price * item.quantity;",
      in_app: true,
    });
    expect(event.frames.filter((frame) => frame.in_app).map((frame) => frame.function)).toEqual(["handleCart", "computeTotal"]);
  });

  it("works when SENTRY_API_URL lacks the trailing slash", async () => {
    const client = createSentry(loadConfig({ SENTRY_AUTH_TOKEN: "sntrys_test", SENTRY_API_URL: fake.apiUrl.replace(/\/$/, "") }), silentLogger())!;
    expect((await client.getIssue("1170820242")).shortId).toBe("SHOP-1A");
  });

  it("reads the issue and adds a note", async () => {
    expect(await sentry.getIssue("1170820242")).toMatchObject({ issueId: "1170820242", shortId: "SHOP-1A", projectSlug: "shop", level: "error", count: "42" });
    const note = await sentry.addNote("1170820242", "Fixline opened https://github.com/acme/shop/pull/3");
    expect(fake.state.issues.get("1170820242")?.notes).toEqual([{ id: note.id, text: "Fixline opened https://github.com/acme/shop/pull/3" }]);
  });

  it("checkAuth returns the token's scopes; a wrong token is INTEGRATION_REJECTED", async () => {
    expect(await sentry.checkAuth()).toEqual({ scopes: ["event:read", "event:write", "project:read"], user: "fixline" });
    const bad = createSentry(loadConfig({ SENTRY_AUTH_TOKEN: "wrong", SENTRY_API_URL: fake.apiUrl }), silentLogger())!;
    const error = await rejectionOf(bad.getIssue("1170820242"));
    expect(isFixlineError(error, "INTEGRATION_REJECTED")).toBe(true);
    expect((error as Error).message).toBe("Sentry GET /api/0/issues/1170820242/ was rejected (HTTP 401): Invalid token");
  });

  it("404 is rejected, 500 and 429 are retryable", async () => {
    expect(isFixlineError(await rejectionOf(sentry.getLatestEvent("999")), "INTEGRATION_REJECTED")).toBe(true);
    fake.failNext(500);
    expect(isFixlineError(await rejectionOf(sentry.getLatestEvent("1170820242")), "INTEGRATION_FAILED")).toBe(true);
    fake.failNext(429);
    const limited = await rejectionOf(sentry.addNote("1170820242", "x"));
    expect(isFixlineError(limited, "INTEGRATION_FAILED")).toBe(true);
    expect((limited as Error).message).toContain("was rate limited (HTTP 429)");
    expect(fake.state.issues.get("1170820242")?.notes).toHaveLength(0);
  });
});
