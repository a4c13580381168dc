import { sanitizeUntrusted } from "@fixline/core";

/**
 * Untrusted text inline in GitHub markdown: one line, every markdown and HTML control character
 * backslash-escaped (so it can neither format nor smuggle an HTML comment like a fake Fixline marker),
 * and @mentions defused (`&#64;` renders as @ but pings nobody).
 */
export function escapeMarkdown(text: string): string {
  return sanitizeUntrusted(text)
    .replace(/\s*\r?\n\s*/g, " ")
    .replace(/[\\`*_{}[\]()<>#+|~!]/g, (c) => `\\${c}`)
    .replace(/@(?=[A-Za-z0-9])/g, "&#64;");
}

/**
 * Agent-written markdown (plan summaries) keeps its formatting but loses what could mislead: HTML
 * comments and hidden characters, and @mentions that would ping people or read as `@agent` commands.
 */
export function sanitizeMarkdownBlock(text: string): string {
  return sanitizeUntrusted(text)
    .replace(/@(?=[A-Za-z0-9])/g, "&#64;")
    .trim();
}

/** A code span that the content cannot close, whatever backticks it holds. */
export function codeSpan(text: string): string {
  const clean = sanitizeUntrusted(text).replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...Array.from(clean.matchAll(/`+/g), (m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

/** A fenced block that the content cannot close. */
export function fencedBlock(text: string, language = "text"): string {
  const clean = sanitizeUntrusted(text);
  const longest = Math.max(2, ...Array.from(clean.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${clean.replace(/\s+$/, "")}\n${fence}`;
}

/** Text for one markdown table cell: a pipe or newline would break the row. */
export function tableCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}
