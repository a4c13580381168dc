import type { TestCase } from "./test-run-result";

// Strips colour codes so names and excerpts are plain text. The escape character is the point here.
// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ansi, "");
}

/**
 * node:test's TAP: subtests print before their parent, indented four spaces per level. A test point with
 * deeper points since the last one at its own level is a suite; its children get "suite > name".
 */
function parseTap(lines: string[]): TestCase[] {
  const pending = new Map<number, TestCase[]>();
  let seen = false;
  for (const line of lines) {
    const m = /^(\s*)(not ok|ok)\s+\d+\s*-?\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    seen = true;
    const depth = Math.floor(m[1]!.length / 4);
    let name = m[3]!;
    const directive = /\s+#\s*(SKIP|TODO)\b.*$/i.exec(name);
    if (directive) name = name.slice(0, directive.index);
    const children: TestCase[] = [];
    for (const [d, cases] of [...pending.entries()]) {
      if (d > depth) {
        children.push(...cases);
        pending.delete(d);
      }
    }
    const level = pending.get(depth) ?? [];
    if (children.length > 0) level.push(...children.map((c) => ({ ...c, name: `${name} > ${c.name}` })));
    else level.push({ name, status: directive ? "skipped" : m[2] === "ok" ? "passed" : "failed" });
    pending.set(depth, level);
  }
  if (!seen) return [];
  return [...pending.entries()].sort(([a], [b]) => a - b).flatMap(([, cases]) => cases);
}

/** pytest: `-rA` summary lines (`PASSED tests/x.py::test_a`) or `-v` lines (`tests/x.py::test_a PASSED`). */
function parsePytest(lines: string[]): TestCase[] {
  const byName = new Map<string, TestCase["status"]>();
  const status = (word: string): TestCase["status"] => (word === "PASSED" || word === "XFAIL" ? "passed" : word === "SKIPPED" ? "skipped" : "failed");
  for (const line of lines) {
    const summary = /^(PASSED|FAILED|ERROR|XFAIL|XPASS|SKIPPED)\s+(\S+::\S+)/.exec(line);
    if (summary) {
      byName.set(summary[2]!, status(summary[1]!));
      continue;
    }
    const verbose = /^(\S+::\S+)\s+(PASSED|FAILED|ERROR|XFAIL|XPASS|SKIPPED)\b/.exec(line);
    if (verbose) byName.set(verbose[1]!, status(verbose[2]!));
  }
  return [...byName].map(([name, s]) => ({ name, status: s }));
}

/** vitest/jest text reporters: `✓ file > suite > name 3ms`, `× ...`, `↓ ...` (skipped). */
function parseCheckmarks(lines: string[]): TestCase[] {
  const cases: TestCase[] = [];
  for (const line of lines) {
    const m = /^\s*([✓✔√×✕✖↓○])\s+(.+?)(?:\s+\d+(?:\.\d+)?\s*m?s)?\s*$/.exec(line);
    if (!m) continue;
    const mark = m[1]!;
    cases.push({ name: m[2]!, status: "✓✔√".includes(mark) ? "passed" : "↓○".includes(mark) ? "skipped" : "failed" });
  }
  return cases;
}

/** Per-test results from a runner's output, whichever of the supported formats it is. */
export function parseTestOutput(output: string): TestCase[] {
  const lines = stripAnsi(output).split(/\r?\n/);
  if (lines.some((l) => /^TAP version \d+/.test(l) || /^\s*(not )?ok \d+ /.test(l))) return parseTap(lines);
  const pytest = parsePytest(lines);
  if (pytest.length > 0) return pytest;
  return parseCheckmarks(lines);
}
