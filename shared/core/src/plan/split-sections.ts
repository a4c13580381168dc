/**
 * Splits markdown into its level-2 sections: heading text -> body (trimmed). Headings inside fenced code
 * blocks are not headings. A repeated heading keeps its first occurrence.
 */
export function splitSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  let body: string[] = [];
  let fence: string | undefined;
  const close = () => {
    if (current !== undefined && !sections.has(current)) sections.set(current, body.join("\n").trim());
  };
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1] as string;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    }
    const heading = fence === undefined && !fenceMatch ? /^##\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (heading) {
      close();
      current = (heading[1] as string).trim();
      body = [];
    } else if (current !== undefined) body.push(line);
  }
  close();
  return sections;
}
