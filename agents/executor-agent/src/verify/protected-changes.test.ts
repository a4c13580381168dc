import { describe, expect, it } from "vitest";
import { defaultProtectedPaths } from "@fixline/core";
import { globToRegExp, jsonValueAt, protectedChanges } from "./protected-changes";

describe("globToRegExp", () => {
  it("matches ** at any depth, * within a segment", () => {
    expect(globToRegExp(".github/workflows/**").test(".github/workflows/ci.yml")).toBe(true);
    expect(globToRegExp(".github/workflows/**").test(".github/workflows/a/b.yml")).toBe(true);
    expect(globToRegExp(".github/workflows/**").test(".github/CODEOWNERS")).toBe(false);
    expect(globToRegExp("**/jest.config.*").test("jest.config.js")).toBe(true);
    expect(globToRegExp("**/jest.config.*").test("packages/a/jest.config.ts")).toBe(true);
    expect(globToRegExp("**/jest.config.*").test("src/jest.configure.ts")).toBe(false);
    expect(globToRegExp("*.yml").test("a/b.yml")).toBe(false);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
  });
});

describe("protectedChanges", () => {
  const base = { protectedPaths: defaultProtectedPaths, affected: ["src/price.js", "test/price.test.js"], keyValues: {} };

  it("a new workflow and a runner config fail; source and tests do not", () => {
    expect(protectedChanges({ ...base, changed: [".github/workflows/ci.yml", "vitest.config.ts", "src/price.js", "test/price.test.js"] })).toEqual([".github/workflows/ci.yml", "vitest.config.ts"]);
  });

  it("the approved plan listing the path (or its directory) allows it", () => {
    expect(protectedChanges({ ...base, affected: [...base.affected, ".github/workflows/"], changed: [".github/workflows/ci.yml"] })).toEqual([]);
    expect(protectedChanges({ ...base, affected: ["pytest.ini"], changed: ["pytest.ini"] })).toEqual([]);
  });

  it("package.json: only a changed test script counts, and listing package.json alone does not allow it", () => {
    const changed = ["package.json"];
    const script = (before: string, now: string) => ({ "package.json#scripts.test": { before: JSON.stringify(before), now: JSON.stringify(now) } });
    expect(protectedChanges({ ...base, changed, keyValues: script("node --test", "node --test") })).toEqual([]);
    expect(protectedChanges({ ...base, changed, keyValues: script("node --test", "exit 0") })).toEqual(["package.json#scripts.test"]);
    expect(protectedChanges({ ...base, affected: ["package.json"], changed, keyValues: script("node --test", "exit 0") })).toEqual(["package.json#scripts.test"]);
    expect(protectedChanges({ ...base, affected: ["package.json#scripts.test"], changed, keyValues: script("node --test", "exit 0") })).toEqual([]);
  });

  it("jsonValueAt reads a dotted path; a deleted script is a change", () => {
    expect(jsonValueAt('{"scripts":{"test":"node --test"}}', ["scripts", "test"])).toBe('"node --test"');
    expect(jsonValueAt('{"scripts":{}}', ["scripts", "test"])).toBeNull();
    expect(jsonValueAt(null, ["scripts", "test"])).toBeNull();
    expect(jsonValueAt("{not json", ["scripts", "test"])).toBe("(unreadable)");
  });
});
