import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, silentLogger } from "@fixline/core";
import type { TaskRecord } from "@fixline/db";
import { createSentry } from "@fixline/integrations";
import { startFakeSentry, type FakeSentry } from "@fixline/testing";
import { formatSentry, gatherContext } from "../src/index";

// Issue 18: the webhook's stored facts and the API's are one Sentry shape; gatherContext merges them without mapping.
let fake: FakeSentry;
beforeAll(async () => {
  fake = await startFakeSentry({ token: "sntrys_test", issueIds: ["1170820242"] });
});
afterAll(async () => {
  await fake?.close();
});

function sentryTask(): TaskRecord {
  return {
    title: "TypeError in cart",
    repo: "acme/shop",
    context: {
      sentry: {
        issueId: "1170820242",
        shortId: "SHOP-1A",
        projectSlug: "shop",
        errorType: "WebhookError",
        errorValue: "as the webhook said",
        count: "3",
        frames: [{ filename: "src/webhook.js", function: "fromWebhook", lineno: 1 }],
      },
    },
  } as unknown as TaskRecord;
}

describe("gatherContext's Sentry facts", () => {
  it("without the API, plans with what the webhook stored, in the prompt's words", async () => {
    const context = await gatherContext(sentryTask(), { logger: silentLogger() });
    expect(context.sentry).toMatchObject({ issueId: "1170820242", title: "TypeError in cart", errorType: "WebhookError", origin: "webhook", tags: {} });
    const text = formatSentry(context.sentry!);
    expect(text).toContain("Issue: SHOP-1A — TypeError in cart");
    expect(text).toContain("Exception: WebhookError: as the webhook said");
    expect(text).toContain("at fromWebhook (src/webhook.js:1)");
  });

  it("with the API, its issue and latest event win field by field, its frames replace the webhook's", async () => {
    const sentry = createSentry(loadConfig({ SENTRY_AUTH_TOKEN: "sntrys_test", SENTRY_API_URL: fake.apiUrl }), silentLogger());
    const context = await gatherContext(sentryTask(), { logger: silentLogger(), sentry });
    expect(context.sentry).toMatchObject({ issueId: "1170820242", errorType: "TypeError", errorValue: "Cannot read properties of undefined (reading 'price')", release: "shop@1.4.2", origin: "api" });
    const text = formatSentry(context.sentry!);
    expect(text).toContain("Exception: TypeError: Cannot read properties of undefined (reading 'price')");
    expect(text).toContain("at computeTotal (src/cart/total.ts:12)");
    expect(text).not.toContain("fromWebhook");
    expect(text).toContain("Tags: environment=production");
  });
});
