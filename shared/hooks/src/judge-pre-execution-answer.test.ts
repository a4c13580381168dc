import { describe, expect, it } from "vitest";
import { judgePreExecutionAnswer } from "./judge-pre-execution-answer";

describe("judgePreExecutionAnswer", () => {
  it("allows a 2xx with an empty body or a JSON object that does not say allow: false", () => {
    expect(judgePreExecutionAnswer(204, "")).toEqual({ allowed: true });
    expect(judgePreExecutionAnswer(200, "{}")).toEqual({ allowed: true });
    expect(judgePreExecutionAnswer(200, '{"allow":true}')).toEqual({ allowed: true });
  });

  it("vetoes allow: false, a non-2xx, and a 2xx whose body is not a JSON object", () => {
    expect(judgePreExecutionAnswer(200, '{"allow":false,"reason":"change freeze"}')).toEqual({ allowed: false, reason: "change freeze" });
    expect(judgePreExecutionAnswer(500, "boom")).toMatchObject({ allowed: false, reason: "answered HTTP 500: boom" });
    // An HTML page from a proxy answering 200 must not count as "allow" (issue 16).
    expect(judgePreExecutionAnswer(200, "<html><body>Welcome to the hotel wifi</body></html>")).toMatchObject({ allowed: false, reason: expect.stringContaining("not JSON") });
    expect(judgePreExecutionAnswer(200, "OK")).toMatchObject({ allowed: false });
    expect(judgePreExecutionAnswer(200, "true")).toMatchObject({ allowed: false });
    expect(judgePreExecutionAnswer(200, "[]")).toMatchObject({ allowed: false });
  });
});
