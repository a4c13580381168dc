import { describe, expect, it } from "vitest";
import { integrationError, integrationStatus } from "./integration-error";

describe("integrationError", () => {
  it("makes outages and rate limits retryable INTEGRATION_FAILED", () => {
    for (const failure of [{ status: 500 }, { status: 503 }, {}]) {
      const error = integrationError({ service: "GitHub", operation: "GET /x", ...failure });
      expect(error.code).toBe("INTEGRATION_FAILED");
      expect(error.retryable).toBe(true);
    }
    expect(integrationError({ service: "Slack", operation: "chat.postMessage", status: 429 }).code).toBe("INTEGRATION_FAILED");
    // GitHub's rate limits are an outage of GitHub (issue 20): its circuit breaker pauses work.
    for (const failure of [{ status: 429 }, { status: 403, rateLimited: true }]) {
      const error = integrationError({ service: "GitHub", operation: "GET /x", ...failure });
      expect(error.code).toBe("GITHUB_RATE_LIMITED");
      expect(error.retryable).toBe(true);
    }
  });

  it("makes other 4xx INTEGRATION_REJECTED, naming the call and status", () => {
    const error = integrationError({ service: "Jira", operation: "POST /rest/api/3/issue/ED-1/comment", status: 400, reason: "body invalid" });
    expect(error.code).toBe("INTEGRATION_REJECTED");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("Jira POST /rest/api/3/issue/ED-1/comment was rejected (HTTP 400): body invalid");
    expect(integrationStatus(error)).toBe(400);
  });

  it("says when no response arrived", () => {
    expect(integrationError({ service: "Sentry", operation: "GET /api/0/", reason: "ECONNREFUSED" }).message).toBe("Sentry GET /api/0/ got no response: ECONNREFUSED");
  });
});
