const start = "<!-- fixline:evidence:start -->";
const end = "<!-- fixline:evidence:end -->";

/**
 * Puts the evidence section into a PR body: replaces the marked section if a previous run wrote one, else
 * inserts it before the footer rule ("---" above the task line), else appends. The planning part stays.
 */
export function withEvidenceSection(body: string | null, section: string): string {
  const block = `${start}\n${section.trim()}\n${end}`;
  const current = body ?? "";
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from >= 0 && to > from) return `${current.slice(0, from)}${block}${current.slice(to + end.length)}`;
  const footer = current.lastIndexOf("\n---\n");
  if (footer >= 0) return `${current.slice(0, footer)}\n\n${block}\n${current.slice(footer)}`;
  return current.trim() === "" ? block : `${current.trimEnd()}\n\n${block}\n`;
}
