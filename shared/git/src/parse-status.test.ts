import { describe, expect, it } from "vitest";
import { parseStatus } from "./parse-status";

describe("parseStatus", () => {
  it("parses porcelain v1 -z, renames included", () => {
    const output = " M src/a.ts\0R  new name.ts\0old name.ts\0?? PLAN.md\0D  gone.ts\0";
    expect(parseStatus(output)).toEqual({
      clean: false,
      entries: [
        { path: "src/a.ts", index: " ", worktree: "M" },
        { path: "new name.ts", origPath: "old name.ts", index: "R", worktree: " " },
        { path: "PLAN.md", index: "?", worktree: "?" },
        { path: "gone.ts", index: "D", worktree: " " },
      ],
    });
  });

  it("reports a clean tree", () => {
    expect(parseStatus("")).toEqual({ clean: true, entries: [] });
  });
});
