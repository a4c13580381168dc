import type { ParsedTest, TestTarget } from "@fixline/environments";

/** Above this many, a rerun is the whole suite (a command line of hundreds of names helps nobody). */
export const maxRerunTargets = 100;

export interface RerunTarget {
  /** The name verification compares (qualified by file, as runSuite returns it). */
  qualified: string;
  /** The name and file as the runner prints them, for its own selection. */
  target: TestTarget;
}

/**
 * What the flake reruns repeat (issue 19): the red tests, and every test of the whole green run whose result
 * differs from the base run (new, gone from failing to passing, or absent from the base). The rest passed on
 * the base and in the whole green run. Empty means: rerun the whole suite (no names to select by, or too many).
 */
export function rerunTargets(base: { tests: readonly ParsedTest[] }, green: { tests: readonly ParsedTest[] }, redTests: readonly string[]): RerunTarget[] {
  const baseStatus = new Map(base.tests.map((t) => [t.name, t.status]));
  const red = new Set(redTests);
  // Only passing tests can be asked to pass again; a skipped new test stays skipped.
  const picked = green.tests.filter((t) => t.status === "passed" && (red.has(t.name) || baseStatus.get(t.name) !== t.status));
  // A red test the green run does not show is verification's failure to report, not ours to hide.
  if (picked.length === 0 || picked.length > maxRerunTargets || redTests.some((name) => !picked.some((t) => t.name === name))) return [];
  return picked.map((t) => ({ qualified: t.name, target: { name: unqualified(t), ...(t.file ? { file: t.file } : {}) } }));
}

/** The runner's own name back from runSuite's qualified one (`file > name`, `file::name`). */
function unqualified(test: ParsedTest): string {
  if (!test.file) return test.name;
  for (const separator of [" > ", "::"]) if (test.name.startsWith(`${test.file}${separator}`)) return test.name.slice(test.file.length + separator.length);
  return test.name;
}
