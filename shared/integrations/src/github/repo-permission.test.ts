import { describe, expect, it } from "vitest";
import { canCommand, toRepoPermission } from "./repo-permission";

describe("toRepoPermission", () => {
  it("folds GitHub roles into admin/write/read/none", () => {
    expect(["admin", "maintain", "write", "push", "triage", "read", "pull", "none", null, undefined, "", "custom-auditor"].map(toRepoPermission)).toEqual([
      "admin",
      "write",
      "write",
      "write",
      "read",
      "read",
      "read",
      "none",
      "none",
      "none",
      "none",
      "read",
    ]);
  });

  it("lets only admin and write command the agent", () => {
    expect((["admin", "write", "read", "none"] as const).map(canCommand)).toEqual([true, true, false, false]);
  });
});
