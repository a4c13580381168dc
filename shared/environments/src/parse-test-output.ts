export type TestStatus = "passed" | "failed" | "skipped";

export interface ParsedTest {
  name: string;
  file?: string;
  status: TestStatus;
}

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface TestOutputParser {
  /** One line of output, ANSI already stripped. */
  push(line: string): void;
  result(): { tests: ParsedTest[]; counts: TestCounts };
}

/** Recorded tests are capped (counts are not): a 50,000-test suite must not make a 50,000-entry result. */
export const maxRecordedTests = 2000;

const passMarks = "✔✓√";
const failMarks = "✖✕×✗";
const skipMarks = "﹣↓○";
const markLine = new RegExp(`^(\\s*)([${passMarks}${failMarks}${skipMarks}])\\s+(.+?)\\s*$`);
const tapLine = /^(\s*)(not ok|ok)\s+\d+\s*(?:-\s*)?(.*?)(?:\s+#\s*(SKIP|TODO)\b.*)?$/i;
const pytestVerbose = /^(\S+?\.py)::(\S.*?)\s+(PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)(?:\s+\(.*?\))?(?:\s+\[\s*\d+%\])?$/;
const pytestShort = /^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\s+(\S+?\.py)::(\S+)(?:\s+-\s.*)?$/;
const unittestVerbose = /^(\w+) \(([\w.]+)\) \.\.\. (ok|FAIL|ERROR|skipped\b.*|expected failure|unexpected success)$/;
const goResult = /^(\s*)--- (PASS|FAIL|SKIP): (\S+) \(/;
const cargoResult = /^test (\S+) \.\.\. (ok|FAILED|ignored)\b/;

function pytestStatus(word: string): TestStatus {
  if (word === "PASSED" || word === "XFAIL") return "passed";
  if (word === "SKIPPED") return "skipped";
  return "failed";
}

/** "file.test.ts > suite > name 3ms" (vitest) or "name (3 ms)" (jest, node): the name and, when shown, the file. */
function splitMarkedName(text: string): { name: string; file?: string } | undefined {
  const name = text
    .replace(/\s+#\s*(SKIP|TODO)\b.*$/i, "")
    .replace(/\s+\[skipped\]$/, "")
    .replace(/\s+\(?\d+(?:\.\d+)?\s*m?s\)?$/, "")
    .trim();
  // Vitest's per-file line "✓ test/a.test.ts (3 tests) 5ms" is a file summary, not a test.
  if (/\(\d+ tests?(?: \|[^)]*)?\)$/.test(name)) return undefined;
  if (name === "" || /^failing tests:?$/.test(name)) return undefined;
  const parts = name.split(" > ");
  const first = parts[0] ?? "";
  if (parts.length > 1 && /\.[cm]?[jt]sx?$/.test(first)) return { name: parts.slice(1).join(" > "), file: first };
  return { name };
}

function markStatus(mark: string): TestStatus {
  if (passMarks.includes(mark)) return "passed";
  if (failMarks.includes(mark)) return "failed";
  return "skipped";
}

/** Summary lines, for runners whose per-test lines were not shown (pytest -q, vitest's default reporter, go without -v). */
function summaryOf(line: string): { format: string; counts: Partial<TestCounts>; additive?: boolean } | undefined {
  // "==== 1 failed, 2 passed in 0.6s ====" (the = rule is missing under -q).
  let m = /^=*\s*(\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected)\b[^=]*) in [\d.]+s\b[^=]*=*$/.exec(line);
  if (m) {
    const counts: Partial<TestCounts> = {};
    for (const [, n, word] of m[1]!.matchAll(/(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)/g)) {
      const key: keyof TestCounts = word === "passed" || word === "xfailed" ? "passed" : word === "skipped" ? "skipped" : "failed";
      counts[key] = (counts[key] ?? 0) + Number(n);
    }
    return { format: "pytest", counts };
  }
  m = /^\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (m) return { format: "vitest", counts: pickCounts(m[1]!) };
  m = /^Tests:\s+(.*)$/.exec(line);
  if (m && /total/.test(m[1]!)) return { format: "jest", counts: pickCounts(m[1]!) };
  m = /^(?:ℹ|#) (pass|fail|skipped|skip|todo) (\d+)$/.exec(line);
  if (m) return { format: "node", counts: { [m[1] === "pass" ? "passed" : m[1] === "fail" ? "failed" : "skipped"]: Number(m[2]) }, additive: true };
  m = /^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/.exec(line);
  if (m) return { format: "cargo", counts: { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) }, additive: true };
  m = /Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)/.exec(line);
  if (m) {
    const [run, failures, errors, skipped] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    return { format: "maven", counts: { passed: run - failures - errors - skipped, failed: failures + errors, skipped } };
  }
  m = /^OK \((\d+) tests?, \d+ assertions?\)$/.exec(line);
  if (m) return { format: "phpunit", counts: { passed: Number(m[1]), failed: 0, skipped: 0 } };
  m = /^Tests: (\d+), Assertions: \d+(.*)\.$/.exec(line);
  if (m) {
    const rest = m[2]!;
    const num = (label: string) => Number(new RegExp(`${label}: (\\d+)`).exec(rest)?.[1] ?? 0);
    const failed = num("Failures") + num("Errors");
    const skipped = num("Skipped") + num("Incomplete");
    return { format: "phpunit", counts: { passed: Number(m[1]) - failed - skipped, failed, skipped } };
  }
  return undefined;
}

function pickCounts(text: string): Partial<TestCounts> {
  const counts: Partial<TestCounts> = {};
  for (const [, n, word] of text.matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
    const key: keyof TestCounts = word === "passed" ? "passed" : word === "failed" ? "failed" : "skipped";
    counts[key] = (counts[key] ?? 0) + Number(n);
  }
  return counts;
}

/**
 * Reads test results out of a runner's text output, line by line: node:test (spec and TAP), vitest and jest,
 * pytest (-v lines and the short summary), unittest -v, go test -v, cargo test; and, when no per-test line was
 * printed, the summary lines of those plus Maven Surefire and PHPUnit. Best effort: the exit code decides
 * pass/fail; this says which tests.
 */
export function createTestOutputParser(): TestOutputParser {
  const tests: ParsedTest[] = [];
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  const pytestSeen = new Map<string, ParsedTest>();
  const goSeen = new Map<string, ParsedTest>();
  const demoted = new Set<ParsedTest>();
  const summaries = new Map<string, Partial<TestCounts>>();
  let lastMarkIndent: number | undefined;
  let lastTapIndent: number | undefined;
  // node's spec reporter repeats failures under "✖ failing tests:"; they were counted already.
  let inFailureRecap = false;

  const record = (test: ParsedTest) => {
    counts[test.status] += 1;
    if (tests.length < maxRecordedTests) tests.push(test);
  };
  const unrecord = (test: ParsedTest) => {
    counts[test.status] -= 1;
    const index = tests.indexOf(test);
    if (index !== -1) tests.splice(index, 1);
  };

  return {
    push(raw) {
      const line = raw.replace(/\s+$/, "");
      if (/^\s*✖ failing tests:?$/.test(line)) {
        inFailureRecap = true;
        return;
      }
      let m = pytestVerbose.exec(line) ?? null;
      if (m) {
        const key = `${m[1]}::${m[2]}`;
        const status = pytestStatus(m[3]!);
        const seen = pytestSeen.get(key);
        if (!seen) {
          const test = { name: m[2]!, file: m[1]!, status };
          pytestSeen.set(key, test);
          record(test);
        }
        return;
      }
      m = pytestShort.exec(line);
      if (m) {
        const key = `${m[2]}::${m[3]}`;
        if (!pytestSeen.has(key)) {
          const test = { name: m[3]!, file: m[2]!, status: pytestStatus(m[1]!) };
          pytestSeen.set(key, test);
          record(test);
        }
        return;
      }
      m = unittestVerbose.exec(line);
      if (m) {
        const word = m[3]!;
        const status: TestStatus = word === "ok" || word === "expected failure" ? "passed" : word.startsWith("skipped") ? "skipped" : "failed";
        record({ name: `${m[2]}`, status });
        return;
      }
      m = goResult.exec(line);
      if (m) {
        const name = m[3]!;
        const test: ParsedTest = { name, status: m[2] === "PASS" ? "passed" : m[2] === "FAIL" ? "failed" : "skipped" };
        // go prints a parent's result before its subtests'; the subtests are the tests.
        const parent = goSeen.get(name.slice(0, name.lastIndexOf("/")));
        if (name.includes("/") && parent && !demoted.has(parent)) {
          demoted.add(parent);
          unrecord(parent);
        }
        goSeen.set(name, test);
        record(test);
        return;
      }
      m = cargoResult.exec(line);
      if (m) {
        record({ name: m[1]!, status: m[2] === "ok" ? "passed" : m[2] === "FAILED" ? "failed" : "skipped" });
        return;
      }
      m = tapLine.exec(line);
      if (m) {
        const indent = m[1]!.length;
        // A result right after deeper results closes a suite (node's TAP nests subtests by indentation).
        const isSuite = lastTapIndent !== undefined && lastTapIndent > indent;
        lastTapIndent = indent;
        if (!isSuite && m[3]) {
          const status: TestStatus = m[4] ? "skipped" : m[2]!.toLowerCase() === "ok" ? "passed" : "failed";
          record({ name: m[3].trim(), status });
        }
        return;
      }
      m = markLine.exec(line);
      if (m && !inFailureRecap) {
        const indent = m[1]!.length;
        const isSuite = lastMarkIndent !== undefined && lastMarkIndent > indent;
        // jest prints skipped tests as "○ skipped <name>".
        const parsed = splitMarkedName(m[2] === "○" ? m[3]!.replace(/^skipped\s+/, "") : m[3]!);
        if (!parsed) return;
        lastMarkIndent = indent;
        if (!isSuite) record({ ...parsed, status: markStatus(m[2]!) });
        return;
      }
      const summary = summaryOf(line);
      if (summary) {
        const previous = summaries.get(summary.format) ?? {};
        if (!summary.additive) summaries.set(summary.format, summary.counts);
        else {
          const merged = { ...previous };
          for (const [key, value] of Object.entries(summary.counts) as Array<[keyof TestCounts, number]>) merged[key] = (merged[key] ?? 0) + value;
          summaries.set(summary.format, merged);
        }
      }
    },
    result() {
      // A runner's own summary is the total; per-test lines may be partial (vitest's default reporter lists only failures).
      const total = (c: Partial<TestCounts>) => (c.passed ?? 0) + (c.failed ?? 0) + (c.skipped ?? 0);
      const summary = [...summaries.values()].sort((a, b) => total(b) - total(a))[0];
      const fromSummary = summary && total(summary) > total(counts);
      const final = fromSummary ? { passed: summary.passed ?? 0, failed: summary.failed ?? 0, skipped: summary.skipped ?? 0 } : { ...counts };
      return { tests: [...tests], counts: final };
    },
  };
}

/** Parses a whole output at once (tests and tools). */
export function parseTestOutput(output: string): { tests: ParsedTest[]; counts: TestCounts } {
  const parser = createTestOutputParser();
  for (const line of output.split("\n")) parser.push(line);
  return parser.result();
}
