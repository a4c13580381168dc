import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { narrowTestCommand, shellQuote } from "./narrow-test-command";

describe("narrowTestCommand", () => {
  it("uses each runner's own filter flag", () => {
    expect(narrowTestCommand("python -m pytest -v", ["test_add", "test_sub"]).command).toBe("python -m pytest -v -k 'test_add or test_sub'");
    expect(narrowTestCommand("go test -v ./...", ["TestAdd"]).command).toBe("go test -v ./... -run '^(TestAdd)$'");
    expect(narrowTestCommand("npx vitest run", ["adds (cart)"]).command).toBe("npx vitest run -t 'adds \\(cart\\)'");
    expect(narrowTestCommand("node --test", ["adds"]).command).toBe("node --test --test-name-pattern='adds'");
  });

  it("leaves commands whose runner it cannot see unchanged", () => {
    expect(narrowTestCommand("npm test", ["adds"])).toEqual({ command: "npm test", narrowed: false });
    expect(narrowTestCommand("pytest", [])).toEqual({ command: "pytest", narrowed: false });
  });

  it("quotes so the shell passes names through verbatim", () => {
    const hostile = `it's $(touch /tmp/pwned) "x"`;
    expect(execFileSync("sh", ["-c", `printf %s ${shellQuote(hostile)}`], { encoding: "utf8" })).toBe(hostile);
  });
});
