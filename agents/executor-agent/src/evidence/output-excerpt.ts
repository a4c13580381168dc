import { stripAnsi } from "@fixline/environments";

/**
 * A bounded excerpt of a test run for the PR: the lines around the first failure marker if there is one,
 * else the tail. ANSI stripped; never more than maxLines lines or maxChars characters.
 */
export function outputExcerpt(output: string, options: { maxLines?: number; maxChars?: number } = {}): string {
  const maxLines = options.maxLines ?? 40;
  const maxChars = options.maxChars ?? 4000;
  const lines = stripAnsi(output).split(/\r?\n/);
  const failure = lines.findIndex((l) => /^\s*not ok \d+|^FAILED |^E\s{2,}|AssertionError|✖|×|\bFAIL\b/.test(l));
  const start = failure >= 0 ? Math.max(0, failure - 3) : Math.max(0, lines.length - maxLines);
  const text = lines.slice(start, start + maxLines).join("\n").trim();
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n…` : text;
}
