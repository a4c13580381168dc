import { describe, expect, it } from "vitest";
import { createLineSplitter } from "./line-splitter";
import { stripAnsi } from "./strip-ansi";

describe("createLineSplitter", () => {
  it("joins lines across chunks, drops CR, and cuts over-long lines", () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line), 10);
    splitter.push("hel");
    splitter.push("lo\r\nwor");
    splitter.push(`ld\n${"x".repeat(25)}`);
    splitter.push("yyy\nlast");
    splitter.end();
    expect(lines).toEqual(["hello", "world", `${"x".repeat(10)} …[line cut]`, "last"]);
  });
});

describe("stripAnsi", () => {
  it("removes colours and hyperlinks", () => {
    expect(stripAnsi("\u001b[32m✓\u001b[39m adds \u001b]8;;https://x\u0007link\u001b]8;;\u0007")).toBe("✓ adds link");
  });
});
