import { splitSections } from "./split-sections";

/** What the rest of Fixline needs from PLAN.md: the PR body, Slack, Jira, the executor's scope check. */
export interface ParsedPlan {
  summary: string;
  rootCause: string;
  /** Repo-relative paths from the Affected files bullets (the first code span of each). */
  affectedFiles: string[];
  failingTest: { file?: string | undefined; name?: string | undefined; asserts?: string | undefined };
  testCommand: string | undefined;
  /** The Fix steps section as written (the executor reads permissions a human approved from it). */
  fixSteps: string;
}

function firstCodeSpan(text: string): string | undefined {
  return /`([^`\n]+)`/.exec(text)?.[1]?.trim();
}

function normalizePath(path: string): string {
  return path.replace(/^\.\//, "").replace(/^\/+/, "");
}

/** The value after `Label:` on a bullet or line, code span preferred. */
function labelled(text: string, label: string, whole = false): string | undefined {
  const line = new RegExp(`^\\s*(?:[-*]\\s+)?\\**${label}\\**\\s*:\\s*(.+)$`, "im").exec(text)?.[1];
  if (!line) return undefined;
  return whole ? line.trim() : (firstCodeSpan(line) ?? line.trim());
}

function testCommandOf(text: string): string | undefined {
  const fenced = /(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\s*\1/.exec(text)?.[2];
  const fromFence = fenced?.split("\n").map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("#"));
  if (fromFence) return fromFence.replace(/^\$\s+/, "");
  const span = firstCodeSpan(text);
  if (span) return span;
  return text.split("\n").map((l) => l.trim()).find(Boolean);
}

export function parsePlan(markdown: string): ParsedPlan {
  const sections = splitSections(markdown);
  const get = (name: string) => sections.get(name) ?? "";
  const affectedFiles = get("Affected files")
    .split("\n")
    .filter((line) => /^\s*[-*]\s+/.test(line))
    .map((line) => firstCodeSpan(line))
    .filter((path): path is string => path !== undefined && path !== "")
    .map(normalizePath);
  const test = get("Failing test to write first");
  const file = labelled(test, "File") ?? firstCodeSpan(test);
  return {
    summary: get("Summary"),
    rootCause: get("Root cause"),
    affectedFiles: [...new Set(affectedFiles)],
    failingTest: {
      file: file ? normalizePath(file) : undefined,
      name: labelled(test, "Name") ?? labelled(test, "Test"),
      asserts: labelled(test, "Asserts", true),
    },
    testCommand: testCommandOf(get("Test command")),
    fixSteps: get("Fix steps"),
  };
}
