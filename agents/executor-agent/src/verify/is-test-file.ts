const testDirectories = new Set(["test", "tests", "__tests__", "spec", "specs"]);

/**
 * Whether a repo-relative path is a test file: in a test directory, or named like one in the common
 * ecosystems (JS/TS `*.test.*` and `*.spec.*`, Python `test_*.py` / `*_test.py`, Go `*_test.go`).
 * The red phase may change only such files.
 */
export function isTestFile(path: string): boolean {
  const parts = path.split("/");
  const name = parts.at(-1) ?? "";
  if (parts.slice(0, -1).some((dir) => testDirectories.has(dir))) return true;
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(name)) return true;
  if (/^test_.+\.py$/.test(name) || /_test\.py$/.test(name)) return true;
  if (/_test\.go$/.test(name)) return true;
  if (/_(test|spec)\.rb$/.test(name)) return true;
  return false;
}
