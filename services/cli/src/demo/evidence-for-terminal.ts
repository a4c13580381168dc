/** The PR body's evidence without the collapsed run output, HTML comments and the footer: the tables a reviewer reads first. */
export function evidenceForTerminal(section: string): string {
  return section
    .replace(/<details>[\s\S]*?<\/details>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .split(/\n---\n/)[0]!
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
