/**
 * Atlassian Document Format, the rich-text JSON Jira Cloud's REST v3 uses for descriptions and comments.
 * Only the small subset Fixline writes is typed strictly; anything read from Jira is an AdfNode.
 */
export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: AdfMark[];
}

export interface AdfDoc {
  type: "doc";
  version: 1;
  content: AdfNode[];
}

/** Inline content may be given as plain strings for brevity. */
type Inline = AdfNode | string;

function inline(content: Inline[]): AdfNode[] {
  return content
    .map((item) => (typeof item === "string" ? text(item) : item))
    // Jira rejects empty text nodes.
    .filter((node) => node.type !== "text" || (node.text ?? "") !== "");
}

export function text(value: string, marks?: AdfMark[]): AdfNode {
  return marks && marks.length > 0 ? { type: "text", text: value, marks } : { type: "text", text: value };
}

export function link(value: string, href: string): AdfNode {
  return text(value, [{ type: "link", attrs: { href } }]);
}

export function strong(value: string): AdfNode {
  return text(value, [{ type: "strong" }]);
}

export function code(value: string): AdfNode {
  return text(value, [{ type: "code" }]);
}

export function paragraph(...content: Inline[]): AdfNode {
  return { type: "paragraph", content: inline(content) };
}

export function heading(level: 1 | 2 | 3 | 4 | 5 | 6, ...content: Inline[]): AdfNode {
  return { type: "heading", attrs: { level }, content: inline(content) };
}

export function codeBlock(value: string, language?: string): AdfNode {
  return { type: "codeBlock", ...(language ? { attrs: { language } } : {}), content: value === "" ? [] : [text(value)] };
}

/** Each item is a list item holding one paragraph of the given inline content. */
export function bulletList(...items: Inline[][]): AdfNode {
  return { type: "bulletList", content: items.map((item) => ({ type: "listItem", content: [paragraph(...item)] })) };
}

export function doc(...content: AdfNode[]): AdfDoc {
  return { type: "doc", version: 1, content };
}

/** The builders under one name, so callers write `adf.doc(adf.paragraph(...))`. */
export const adf = { doc, paragraph, heading, text, link, strong, code, codeBlock, bulletList };
