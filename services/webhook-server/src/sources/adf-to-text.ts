interface AdfNode {
  type?: string;
  text?: string;
  content?: AdfNode[];
  attrs?: Record<string, unknown>;
}

const blockTypes = new Set(["paragraph", "heading", "blockquote", "codeBlock", "listItem", "tableRow", "rule", "panel"]);

/**
 * Jira Cloud sends descriptions as a string (REST v2), Atlassian Document Format (v3) or null. This
 * flattens ADF to plain text: blocks become lines, mentions and emoji their text, everything else dropped.
 */
export function jiraDescriptionText(description: unknown): string {
  if (description === null || description === undefined) return "";
  if (typeof description === "string") return description;
  if (typeof description !== "object") return String(description);
  const lines: string[] = [];
  let line = "";
  const flush = (): void => {
    lines.push(line);
    line = "";
  };
  const walk = (node: AdfNode, depth: number): void => {
    if (depth > 50) return;
    if (node.type === "text" && typeof node.text === "string") line += node.text;
    else if (node.type === "hardBreak") flush();
    else if ((node.type === "mention" || node.type === "emoji" || node.type === "inlineCard") && node.attrs) {
      const attrs = node.attrs;
      line += String(attrs.text ?? attrs.shortName ?? attrs.url ?? "");
    }
    if (node.type === "listItem") line += "- ";
    for (const child of node.content ?? []) walk(child, depth + 1);
    if (node.type && blockTypes.has(node.type)) flush();
  };
  walk(description as AdfNode, 0);
  if (line) flush();
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}
