import { describe, expect, it } from "vitest";
import { FixlineError } from "@fixline/core";
import { decideAfterError } from "./agent-job";

const transient = new FixlineError("CLONE_FAILED", "clone failed", { retryable: true });
const final = new FixlineError("PLAN_INVALID", "no plan");
const outage = new FixlineError("CLAUDE_OVERLOADED", "overloaded", { retryable: true });

describe("decideAfterError", () => {
  it("retries a retryable error while attempts remain, fails it on the last", () => {
    expect(decideAfterError({ error: transient, aborted: false, finalAttempt: false, taskActs: true })).toBe("retry");
    expect(decideAfterError({ error: transient, aborted: false, finalAttempt: true, taskActs: true })).toBe("fail");
  });

  it("fails a non-retryable error at once", () => {
    expect(decideAfterError({ error: final, aborted: false, finalAttempt: false, taskActs: true })).toBe("fail");
  });

  it("never fails for an outage, even on the last attempt", () => {
    expect(decideAfterError({ error: outage, aborted: false, finalAttempt: true, taskActs: true })).toBe("retry");
  });

  it("an aborted job is interrupted, not failed, while the task still needs it", () => {
    expect(decideAfterError({ error: final, aborted: true, finalAttempt: true, taskActs: true })).toBe("interrupted");
  });

  it("steps aside when the task left the job's states, aborted (cancelled) or not (moved on)", () => {
    expect(decideAfterError({ error: final, aborted: true, finalAttempt: true, taskActs: false })).toBe("step_aside");
    expect(decideAfterError({ error: outage, aborted: false, finalAttempt: false, taskActs: false })).toBe("step_aside");
  });
});
