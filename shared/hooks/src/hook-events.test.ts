import { describe, expect, it } from "vitest";
import { hookEventsFor } from "./hook-events";
import { signHookBody, verifyHookSignature } from "./sign-hook";

describe("hookEventsFor", () => {
  it("maps state changes to hook events", () => {
    expect(hookEventsFor(null, "received")).toEqual(["state_changed"]);
    expect(hookEventsFor("executing", "completed")).toEqual(["state_changed", "post_execution"]);
    expect(hookEventsFor("executing", "failed")).toEqual(["state_changed", "post_execution", "on_error"]);
    expect(hookEventsFor("planning", "failed")).toEqual(["state_changed", "on_error"]);
    expect(hookEventsFor("planning", "planning")).toEqual([]);
  });
});

describe("hook signatures", () => {
  it("verifies what it signs and nothing else", () => {
    const body = JSON.stringify({ event: "state_changed" });
    const signature = signHookBody("s3cret", body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyHookSignature("s3cret", body, signature)).toBe(true);
    expect(verifyHookSignature("other", body, signature)).toBe(false);
    expect(verifyHookSignature("s3cret", `${body} `, signature)).toBe(false);
    expect(verifyHookSignature("s3cret", body, undefined)).toBe(false);
  });
});
