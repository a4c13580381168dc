import { describe, expect, it } from "vitest";
import { parseSentryEvent } from "./create-sentry";

describe("parseSentryEvent", () => {
  it("takes the thrown exception of a chain and its frames", () => {
    const event = parseSentryEvent({
      eventID: "e1",
      release: "api@2.0.0",
      tags: [{ key: "environment", value: "staging" }],
      entries: [
        { type: "breadcrumbs", data: {} },
        {
          type: "exception",
          data: {
            values: [
              { type: "ConnectionError", value: "reset", stacktrace: null },
              { type: "ValueError", value: "bad total", stacktrace: { frames: [{ filename: "app/total.py", function: "total", lineno: 7, in_app: true, context_line: "return a/b" }] } },
            ],
          },
        },
      ],
    });
    expect(event).toEqual({
      eventId: "e1",
      errorType: "ValueError",
      errorValue: "bad total",
      frames: [{ filename: "app/total.py", function: "total", lineno: 7, context_line: "return a/b", in_app: true }],
      tags: { environment: "staging" },
      release: "api@2.0.0",
      platform: undefined,
      dateCreated: undefined,
    });
  });

  it("copes with events that carry no exception", () => {
    expect(parseSentryEvent({ id: "m1", entries: [{ type: "message" }] })).toMatchObject({ eventId: "m1", errorType: undefined, frames: [], tags: {} });
  });
});
