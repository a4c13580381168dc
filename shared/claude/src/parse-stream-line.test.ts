import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isAssistantMessage, isInitMessage, isResultMessage, parseStreamLine } from "./parse-stream-line";

const fixture = fileURLToPath(new URL("../../testing/fixtures/claude/not-logged-in.stream.jsonl", import.meta.url));

describe("parseStreamLine", () => {
  it("types every line the real CLI printed when not logged in", () => {
    const lines = readFileSync(fixture, "utf8").split("\n").filter(Boolean);
    const parsed = lines.map(parseStreamLine);
    expect(parsed.map((p) => p.kind)).toEqual(["message", "message", "message"]);
    const messages = parsed.flatMap((p) => (p.kind === "message" ? [p.message] : []));
    const [init, assistant, result] = messages;
    expect(init && isInitMessage(init) && init.session_id).toBe("8bd2b0df-cf60-49e8-bd96-a14fd904076b");
    expect(assistant && isAssistantMessage(assistant) && assistant.error).toBe("authentication_failed");
    expect(result && isResultMessage(result) && result.subtype === "success" && result.is_error && result.result).toBe("Not logged in · Please run /login");
  });

  it("tolerates what is not an SDK message", () => {
    expect(parseStreamLine("not json")).toEqual({ kind: "invalid", reason: "not JSON" });
    expect(parseStreamLine('{"type":"assistant", "trunc')).toEqual({ kind: "invalid", reason: "not JSON" });
    expect(parseStreamLine("[1,2]")).toEqual({ kind: "invalid", reason: "not a JSON object" });
    expect(parseStreamLine('{"no":"type"}')).toEqual({ kind: "invalid", reason: "no message type" });
    expect(parseStreamLine("   ")).toEqual({ kind: "invalid", reason: "empty line" });
  });
});
