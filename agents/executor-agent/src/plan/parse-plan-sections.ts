/**
 * The parts of PLAN.md the executor needs. The planning agent has its own full parser; agents never
 * import each other, so this reads only what execution uses (see the report: one parser should move to a
 * shared package).
 */
export interface ExecutionPlan {
  summary: string;
  /** Repo-relative paths from the backticked bullets of "Affected files". */
  affectedFiles: string[];
  /** The "Failing test to write first" section, verbatim. */
  failingTest: string;
  fixSteps: string;
  /** The one line in the fenced block of "Test command", if any. */
  testCommand: string | undefined;
  /** The plan says the red tests may be changed while fixing (rare; e.g. a fixture that must move). */
  allowsTestChanges: boolean;
}

/** Level-2 sections by lower-cased heading. */
function sections(markdown: string): Map<string, string> {
  const result = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    if (current !== undefined) result.set(current, lines.join("\n").trim());
  };
  for (const line of markdown.replace(/\r\n/g, "\n").split("\n")) {
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    const heading = fence === undefined ? /^##\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    }
    if (heading && !line.startsWith("###")) {
      flush();
      current = heading[1]!.toLowerCase();
      lines = [];
    } else if (current !== undefined) {
      lines.push(line);
    }
  }
  flush();
  return result;
}

function normalizePath(path: string): string {
  return path.trim().replace(/^\.\//, "").replace(/^\/+/, "");
}

export function parsePlanSections(markdown: string): ExecutionPlan {
  const found = sections(markdown);
  const affected = found.get("affected files") ?? "";
  const affectedFiles: string[] = [];
  for (const line of affected.split("\n")) {
    if (!/^\s*[-*+]\s/.test(line)) continue;
    const code = /`([^`]+)`/.exec(line);
    if (code) affectedFiles.push(normalizePath(code[1]!));
  }
  const testSection = found.get("test command") ?? "";
  const fenced = /(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\s*\1/.exec(testSection);
  const commandLine = (fenced ? fenced[2]! : testSection)
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "" && !l.startsWith("#"));
  const fixSteps = found.get("fix steps") ?? "";
  return {
    summary: found.get("summary") ?? "",
    affectedFiles: [...new Set(affectedFiles)],
    failingTest: found.get("failing test to write first") ?? "",
    fixSteps,
    testCommand: commandLine?.replace(/^\$\s+/, ""),
    // Deliberately narrow: only an explicit statement in the plan a human approved lifts the rule.
    allowsTestChanges: /\b(the )?(red|failing|new) tests? may be (adjusted|changed|modified)\b/i.test(fixSteps),
  };
}
