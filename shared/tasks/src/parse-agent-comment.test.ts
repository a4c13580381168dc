import { describe, expect, it } from "vitest";
import { parseAgentComment } from "./task-commands";

describe("parseAgentComment", () => {
  it("reads a command on its own line, with its text", () => {
    expect(parseAgentComment("@agent approve keep the API")).toEqual({ kind: "approve", instructions: "keep the API" });
    expect(parseAgentComment("Looks right.\n@agent reject split it")).toEqual({ kind: "reject", feedback: "split it" });
    expect(parseAgentComment("@agent cancel")).toEqual({ kind: "cancel" });
  });

  it("ignores a command shown in a fenced block, indented code, inline code or a quote (issue 16)", () => {
    expect(parseAgentComment("To approve, write:\n```\n@agent approve\n```\nbut not yet.")).toBeUndefined();
    expect(parseAgentComment("~~~text\n@agent retry\n~~~")).toBeUndefined();
    expect(parseAgentComment("```\n@agent approve\n")).toBeUndefined();
    expect(parseAgentComment("Example:\n\n    @agent approve\n")).toBeUndefined();
    expect(parseAgentComment("> @agent approve\n\nWhy did the bot say that?")).toBeUndefined();
    expect(parseAgentComment("Type `@agent approve` when ready")).toBeUndefined();
    // Text after a closed block is the author's again.
    expect(parseAgentComment("```\nlog\n```\n@agent retry")).toEqual({ kind: "retry" });
  });

  it("reads budget=$8 and budget=+$5 anywhere in an approval, the rest being instructions (issue 21)", () => {
    expect(parseAgentComment("@agent approve budget=$8")).toEqual({ kind: "approve", budget: { kind: "set", usd: 8 } });
    expect(parseAgentComment("@agent approve budget=+$5")).toEqual({ kind: "approve", budget: { kind: "add", usd: 5 } });
    expect(parseAgentComment("@agent approve keep the API budget=+5.50 please")).toEqual({ kind: "approve", instructions: "keep the API  please", budget: { kind: "add", usd: 5.5 } });
  });

  it("keeps a budget that is not money as invalid, so it is refused instead of approving with the estimate", () => {
    for (const text of ["budget=-$5", "budget=$0", "budget=$5000", "budget=five", "budget=", "budget=$1e3"]) {
      const parsed = parseAgentComment(`@agent approve ${text}`);
      expect(parsed, text).toMatchObject({ kind: "approve", budget: { kind: "invalid" } });
    }
  });
});
