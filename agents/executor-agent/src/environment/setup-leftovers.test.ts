import { describe, expect, it } from "vitest";
import { setupWrites } from "./setup-leftovers";

describe("setupWrites", () => {
  it("counts files setup created or changed on a clean tree, not files the agent had changed", () => {
    const before = { "src/price.js": "agent" };
    const after = { "src/price.js": "agent+setup", "package-lock.json": "generated" };
    expect(setupWrites(before, after)).toEqual({ "package-lock.json": "generated" });
  });

  it("follows an earlier leftover setup writes again, and drops one the agent has edited since", () => {
    const leftovers = { "package-lock.json": "v1", "yarn.lock": "v1" };
    const before = { "package-lock.json": "v1", "yarn.lock": "agent-edit" };
    const after = { "package-lock.json": "v2", "yarn.lock": "v2" };
    expect(setupWrites(before, after, leftovers)).toEqual({ "package-lock.json": "v2" });
  });
});
