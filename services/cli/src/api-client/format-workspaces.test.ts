import { describe, expect, it } from "vitest";
import { formatBytes, formatWorkspaceTable } from "./format-workspaces";
import { terminalStyle } from "./terminal-style";

const plain = terminalStyle(false);

describe("formatWorkspaceTable", () => {
  it("lines up short ids, states, sizes and ages, and totals the disk used", () => {
    const table = formatWorkspaceTable(
      [
        { taskId: "0f1e2d3c-aaaa-4bbb-8ccc-123456789abc", path: "/w/tasks/0f1e2d3c-aaaa-4bbb-8ccc-123456789abc", branch: "fixline/0f1e2d3c-cart", sizeBytes: 2_500_000, ageSeconds: 7300, state: "awaiting_approval", repo: "acme/shop" },
        { taskId: "stray", path: "/w/tasks/stray", branch: null, sizeBytes: 512, ageSeconds: 3 * 86400, state: "orphaned", repo: null },
      ],
      plain,
    );
    const [header, first, second, total] = table.split("\n");
    expect(header).toMatch(/^TASK\s+STATE\s+REPO\s+BRANCH\s+SIZE\s+AGE\s+PATH$/);
    expect(first).toMatch(/^0f1e2d3c\s+awaiting_approval\s+acme\/shop\s+fixline\/0f1e2d3c-cart\s+2\.4 MB\s+2h\s+\/w\/tasks\/0f1e/);
    expect(second).toMatch(/^stray\s+orphaned\s+-\s+-\s+512 B\s+3d\s+\/w\/tasks\/stray$/);
    expect(first!.indexOf("acme/shop")).toBe(second!.indexOf("-  "));
    expect(total).toBe("2 workspaces, 2.4 MB. Remove one with: fixline workspaces rm <task>");
  });

  it("says so when there are none", () => {
    expect(formatWorkspaceTable([], plain)).toBe("No workspaces.");
  });
});

describe("formatBytes", () => {
  it("uses binary units with one decimal below ten", () => {
    expect([0, 1023, 1024, 15 * 1024, 5.5 * 1024 * 1024, 3 * 1024 ** 3].map(formatBytes)).toEqual(["0 B", "1023 B", "1.0 KB", "15 KB", "5.5 MB", "3.0 GB"]);
  });
});
