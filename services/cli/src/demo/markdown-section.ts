/**
 * The body of the first heading whose text starts with `title` (any level), up to the next heading of the
 * same or a higher level; undefined when there is none. Used to lift the evidence table out of the PR body
 * and the summary out of PLAN.md.
 */
export function markdownSection(markdown: string, title: string, options: { withHeading?: boolean } = {}): string | undefined {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => {
    const match = /^(#{1,6})\s+(.*)$/.exec(line);
    return match !== null && match[2]!.trim().startsWith(title);
  });
  if (start < 0) return undefined;
  const level = /^#+/.exec(lines[start]!)![0].length;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i += 1) {
    const match = /^(#{1,6})\s/.exec(lines[i]!);
    if (match && match[1]!.length <= level) {
      end = i;
      break;
    }
  }
  return lines
    .slice(options.withHeading ? start : start + 1, end)
    .join("\n")
    .trim();
}
