import { describe, expect, it } from "vitest";
import { maxRerunTargets, rerunTargets } from "./rerun-targets";

describe("rerunTargets", () => {
  const base = { tests: [{ name: "a", status: "passed" as const }, { name: "b", status: "failed" as const }, { name: "c", status: "passed" as const }] };

  it("repeats the red tests and what changed from the base, nothing else", () => {
    const green = { tests: [{ name: "a", status: "passed" as const }, { name: "b", status: "passed" as const }, { name: "c", status: "passed" as const }, { name: "red", status: "passed" as const }, { name: "new-skip", status: "skipped" as const }] };
    expect(rerunTargets(base, green, ["red"]).map((t) => t.qualified)).toEqual(["b", "red"]);
  });

  it("gives the runner's own name and file back for its selection", () => {
    const green = { tests: [{ name: "src/p.test.ts > pads", file: "src/p.test.ts", status: "passed" as const }, { name: "tests/t.py::test_x", file: "tests/t.py", status: "passed" as const }] };
    expect(rerunTargets({ tests: [] }, green, ["src/p.test.ts > pads"]).map((t) => t.target)).toEqual([{ name: "pads", file: "src/p.test.ts" }, { name: "test_x", file: "tests/t.py" }]);
  });

  it("falls back to the whole suite when it cannot name the tests", () => {
    expect(rerunTargets(base, { tests: [] }, [])).toEqual([]);
    // A red test the green run does not show: the whole suite reruns and verification says so.
    expect(rerunTargets(base, { tests: base.tests }, ["red"])).toEqual([]);
    const many = Array.from({ length: maxRerunTargets + 1 }, (_, i) => ({ name: `n${i}`, status: "passed" as const }));
    expect(rerunTargets(base, { tests: many }, ["n0"])).toEqual([]);
  });
});
