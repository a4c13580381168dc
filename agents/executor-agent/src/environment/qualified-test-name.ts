import type { ParsedTest } from "@fixline/environments";

/**
 * A test's identity for verification: red and green compare runs by name, so two tests called the same in
 * different files must not merge. The file goes back in front the way the runner itself prints it (pytest's
 * node id `tests/x.py::test_a`, vitest's `src/a.test.ts > name`); runners that print no file keep the name.
 */
export function qualifiedTestName(test: Pick<ParsedTest, "name" | "file">): string {
  if (!test.file) return test.name;
  return test.file.endsWith(".py") ? `${test.file}::${test.name}` : `${test.file} > ${test.name}`;
}
