/**
 * Why tests failed, read out of a runner's text output: by an assertion about behaviour, or by an error
 * (load, syntax, import, type, reference, timeout, crash). Red is proven only by the first kind (issue 15,
 * property 3): a test that dies with `TypeError: padCents is not a function` shows that a helper is
 * missing, not that the bug exists. One rule per supported runner, each checked against that runner's real
 * output (test/fixtures/runner-output, described in this package's README).
 */
export type FailureKind = "assertion" | "error";

export interface TestFailure {
  /** The test's name as the runner prints it; undefined for a file or a build that failed as a whole. */
  test: string | undefined;
  /** The file, when the runner names it next to the test (vitest, pytest). */
  file?: string;
  kind: FailureKind;
  /** The deciding line: `AssertionError [ERR_ASSERTION]: ...`, `TypeError: ...`, `test timed out ...`. */
  reason: string;
}

/** The kind of a failure from its first message line, as JavaScript runners print it. */
function jsKind(line: string): FailureKind {
  const text = line.trim().replace(/^→\s*/, "");
  // node:assert, chai and vitest's expect all throw AssertionError (node adds [ERR_ASSERTION]).
  if (/^AssertionError\b/.test(text) || /ERR_ASSERTION/.test(text)) return "assertion";
  // jest prints the matcher, not the error class: `expect(received).toBe(expected) // Object.is equality`.
  if (/^expect\(/.test(text)) return "assertion";
  return "error";
}

const nodeSpecFail = /^(\s*)✖ (.+?) \(\d+(?:\.\d+)?m?s\)$/;
const tapNotOk = /^(\s*)not ok \d+ - (.*?)(?:\s+#\s*(?:SKIP|TODO)\b.*)?$/;
const vitestFail = /^\s*FAIL\s+(\S+?)\s+(?:>\s+(.+)|\[ (.+) \])$/;
const jestBullet = /^\s*● (.+)$/;
const pytestShort = /^(FAILED|ERROR) (\S+?\.py)(?:::(\S+))?(?: - (.*))?$/;
const pytestSection = /^_{3,} (?:ERROR collecting )?(\S+?)(?: \[\S*\])? _{3,}$/;
const pytestWhere = /^\S+\.py:\d+: (\w+)$/;
const unittestHeader = /^(FAIL|ERROR): (\w+) \(([\w.]+)\)/;
const goFail = /^(\s*)--- FAIL: (\S+) \(/;
const goLocation = /^\s+\S+_test\.go:\d+: /;
const cargoStdout = /^---- (\S+) stdout ----$/;
const phpunitSection = /^There (?:was|were) \d+ (failure|error)s?:$/;
const phpunitItem = /^\d+\) (\S+)$/;

/** Reads every failure the output explains, in order; duplicates (a runner's recap) are dropped. */
export function classifyFailures(output: string): TestFailure[] {
  const lines = output.split("\n").map((l) => l.replace(/\s+$/, ""));
  const failures: TestFailure[] = [];
  const seen = new Set<string>();
  const add = (failure: TestFailure) => {
    const key = `${failure.file ?? ""}|${failure.test ?? ""}|${failure.kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    failures.push(failure);
  };
  const nextText = (from: number, stop?: (line: string) => boolean): string | undefined => {
    for (let j = from; j < lines.length; j++) {
      const line = lines[j]!;
      if (stop?.(line)) return undefined;
      if (line.trim() !== "") return line.trim();
    }
    return undefined;
  };

  let phpunitKind: FailureKind | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let m: RegExpExecArray | null;

    // node:test, spec reporter: "✖ name (3ms)" then the error, indented; a suite's "'1 subtest failed'" is not one.
    if ((m = nodeSpecFail.exec(line))) {
      const indent = m[1]!.length;
      const message = nextText(i + 1, (l) => l.trim() !== "" && l.length - l.trimStart().length <= indent);
      if (message === undefined || /^'\d+ subtests? failed'$/.test(message)) continue;
      const timeout = /^'test timed out after/.test(message);
      add({ test: m[2]!, kind: timeout ? "error" : jsKind(message), reason: message.replace(/^'|'$/g, "") });
      continue;
    }

    // node:test, TAP reporter: "not ok 1 - name" and a YAML block with failureType, name and code.
    if ((m = tapNotOk.exec(line))) {
      const block: string[] = [];
      if (lines[i + 1]?.trim() === "---") {
        for (let j = i + 2; j < lines.length && lines[j]!.trim() !== "..."; j++) block.push(lines[j]!.trim());
      }
      const field = (name: string) => block.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim().replace(/^'|'$/g, "");
      const failureType = field("failureType");
      if (failureType === "subtestsFailed" || block.length === 0) continue;
      const assertion = field("code") === "ERR_ASSERTION" || field("name") === "AssertionError";
      const error = field("error");
      const reason = `${field("name") ?? failureType ?? "failure"}: ${error && error !== "|-" ? error : (block[block.findIndex((l) => l.startsWith("error:")) + 1] ?? "")}`;
      add({ test: m[2]!, kind: assertion && failureType === "testCodeFailure" ? "assertion" : "error", reason: reason.trim() });
      continue;
    }

    // vitest: " FAIL  file > suite > name" then the error; " FAIL  file [ file ]" is a file that did not load.
    if ((m = vitestFail.exec(line))) {
      const message = nextText(i + 1) ?? "";
      if (m[3] !== undefined) add({ test: undefined, file: m[1]!, kind: "error", reason: message });
      else add({ test: m[2]!, file: m[1]!, kind: /timed out/.test(message) ? "error" : jsKind(message), reason: message });
      continue;
    }

    // jest: "● suite › name" then the matcher hint or the error; "● Test suite failed to run" is a load error.
    if ((m = jestBullet.exec(line))) {
      const message = nextText(i + 1) ?? "";
      if (m[1] === "Test suite failed to run") add({ test: undefined, kind: "error", reason: message });
      else add({ test: m[1]!.replace(/ › /g, " > "), kind: /Exceeded timeout/.test(message) ? "error" : jsKind(message), reason: message });
      continue;
    }

    // pytest's short summary: "FAILED path::name - assert ..." (or "- AssertionError: ..."), "ERROR path[::name] - ...".
    if ((m = pytestShort.exec(line))) {
      const detail = m[4] ?? "";
      // Without a detail the failure section below says which exception it was.
      if (m[1] === "FAILED" && detail === "") continue;
      const assertion = m[1] === "FAILED" && /^(?:assert\b|AssertionError\b|Failed\b)/.test(detail);
      add({ test: m[3], file: m[2]!, kind: assertion ? "assertion" : "error", reason: detail || `${m[1]!} ${m[2]!}` });
      continue;
    }
    // pytest's failure sections: "____ name ____" ... "path.py:3: TypeError" (the raised exception's class).
    if ((m = pytestSection.exec(line))) {
      const name = m[1]!;
      for (let j = i + 1; j < lines.length && !pytestSection.test(lines[j]!) && !/^={3,}/.test(lines[j]!); j++) {
        const where = pytestWhere.exec(lines[j]!);
        if (where) {
          const exception = where[1]!;
          const kind: FailureKind = exception === "AssertionError" || exception === "Failed" ? "assertion" : "error";
          const reason = lines.slice(i, j).find((l) => l.startsWith("E "))?.slice(1).trim() ?? exception;
          if (line.includes("ERROR collecting")) add({ test: undefined, file: name, kind: "error", reason });
          else if (!failures.some((f) => f.test === name || f.test?.endsWith(`::${name}`) || f.test?.endsWith(`.${name}`))) add({ test: name, kind, reason });
          break;
        }
      }
      continue;
    }

    // unittest: FAIL is an AssertionError (the TestCase's failureException); ERROR is anything else raised.
    if ((m = unittestHeader.exec(line))) {
      const traceback = lines.slice(i + 1, i + 40);
      const last = traceback.find((l) => /^\w+(?:Error|Exception)\b.*:|^AssertionError\b/.test(l)) ?? m[1]!;
      add({ test: m[3]!, kind: m[1] === "FAIL" ? "assertion" : "error", reason: last });
      continue;
    }

    // go test: t.Error/t.Fatal print "    file_test.go:12: message" between "=== RUN   TestName" and
    // "--- FAIL: TestName" (streamed, go >= 1.14) or under the result line (subtests); a panic prints none.
    if ((m = goFail.exec(line))) {
      const name = m[2]!;
      const indent = m[1]!.length;
      let start = i;
      while (start > 0 && !new RegExp(`^=== (?:RUN|CONT)\\s+${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`).test(lines[start - 1]!)) start--;
      let end = i + 1;
      while (end < lines.length && !/^\s*(?:=== |--- )/.test(lines[end]!) && !(/^(?:FAIL|ok|PASS)\b/.test(lines[end]!) && indent === 0)) end++;
      const body = [...(start > 0 ? lines.slice(start, i) : []), ...lines.slice(i + 1, end)];
      const panic = body.find((l) => /^\s*panic: /.test(l));
      const location = body.find((l) => goLocation.test(l));
      // A parent whose subtests failed prints no location of its own: the subtests are the failures.
      if (panic) add({ test: name, kind: "error", reason: panic.trim() });
      else if (location) add({ test: name, kind: "assertion", reason: location.trim() });
      continue;
    }
    if (/^\s*panic: /.test(line) && failures.every((f) => f.reason !== line.trim())) {
      const running = [...lines.slice(0, i)].reverse().find((l) => /^=== RUN\s+\S+/.test(l));
      add({ test: running?.replace(/^=== RUN\s+/, "").trim(), kind: "error", reason: line.trim() });
      continue;
    }
    if (/^FAIL\s+\S+\s+\[(?:build|setup) failed\]$/.test(line)) {
      add({ test: undefined, kind: "error", reason: line.trim() });
      continue;
    }

    // cargo test: the panic message under "---- name stdout ----"; assert!/assert_eq!/assert_ne! word it so.
    if ((m = cargoStdout.exec(line))) {
      const panicked = lines.slice(i + 1, i + 6).findIndex((l) => /^thread '.*' (?:\(\d+\) )?panicked at /.test(l));
      const message = panicked === -1 ? "" : (lines[i + 2 + panicked] ?? "").trim();
      const assertion = /^assertion `left (?:==|!=) right` failed/.test(message) || /^assertion failed: /.test(message);
      add({ test: m[1]!, kind: assertion ? "assertion" : "error", reason: message || "panicked" });
      continue;
    }
    if (/^error(?:\[E\d+\])?: /.test(line) && !/^error: test failed/.test(line)) {
      add({ test: undefined, kind: "error", reason: line.trim() });
      continue;
    }

    // PHPUnit: failures ("Failed asserting that ...") and errors are listed in separate sections.
    if ((m = phpunitSection.exec(line))) {
      phpunitKind = m[1] === "failure" ? "assertion" : "error";
      continue;
    }
    if (phpunitKind && (m = phpunitItem.exec(line))) {
      add({ test: m[1]!, kind: phpunitKind, reason: nextText(i + 1) ?? "" });
      continue;
    }

    // Maven Surefire: "[ERROR] Class.method:12 expected: <3> but was: <1>" under Failures; "» Exception" under Errors.
    if ((m = /^\[ERROR\]\s+(\S+?\.\w+)(?::\d+)?\s+(.*)$/.exec(line)) && !/^\[ERROR\]\s+(?:Tests run|Failures|Errors|Failed|Run \d|To see|Re-run|->|$)/.test(line)) {
      const detail = m[2]!.trim();
      const assertion = !detail.startsWith("»") && (/expected:? ?<.*> but was:? ?<.*>/.test(detail) || /^(?:org\.opentest4j\.)?AssertionFailedError\b/.test(detail) || /^expected:/.test(detail));
      add({ test: m[1]!, kind: assertion ? "assertion" : "error", reason: detail });
    }
  }
  return failures;
}

/** Whether a classified failure is about this test, however the caller qualified its name with the file. */
export function failureMatchesTest(failure: TestFailure, qualifiedName: string): boolean {
  const { test, file } = failure;
  if (test === undefined) return file !== undefined && (qualifiedName === file || qualifiedName.startsWith(`${file} > `) || qualifiedName.startsWith(`${file}::`));
  if (qualifiedName === test) return true;
  if (file && (qualifiedName === `${file} > ${test}` || qualifiedName === `${file}::${test}`)) return true;
  return qualifiedName.endsWith(` > ${test}`) || qualifiedName.endsWith(`::${test}`) || test.endsWith(`.${qualifiedName}`);
}
