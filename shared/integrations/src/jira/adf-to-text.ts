import type { AdfNode } from "./adf";

function inlineText(node: AdfNode): string {
  switch (node.type) {
    case "text": {
      const value = node.text ?? "";
      const href = node.marks?.find((mark) => mark.type === "link")?.attrs?.href;
      return typeof href === "string" && href !== value ? `${value} (${href})` : value;
    }
    case "hardBreak":
      return "\n";
    case "mention": {
      const label = node.attrs?.text;
      if (typeof label === "string" && label !== "") return label.startsWith("@") ? label : `@${label}`;
      return "@someone";
    }
    case "inlineCard":
    case "blockCard":
    case "embedCard":
      return String(node.attrs?.url ?? "");
    case "emoji":
      return String(node.attrs?.text ?? node.attrs?.shortName ?? "");
    case "status":
      return `[${String(node.attrs?.text ?? "")}]`;
    case "date": {
      const timestamp = Number(node.attrs?.timestamp);
      return Number.isFinite(timestamp) ? new Date(timestamp).toISOString().slice(0, 10) : "";
    }
    case "placeholder":
      return "";
    default:
      return (node.content ?? []).map(inlineText).join("");
  }
}

function indent(textBlock: string, prefix: string, rest: string): string {
  return textBlock
    .split("\n")
    .map((line, index) => (index === 0 ? prefix : rest) + line)
    .join("\n");
}

function blocks(nodes: AdfNode[] | undefined): string {
  return (nodes ?? [])
    .map(block)
    .filter((part) => part !== "")
    .join("\n\n");
}

function listItems(node: AdfNode, ordered: boolean): string {
  const start = ordered ? Number(node.attrs?.order ?? 1) || 1 : 1;
  return (node.content ?? [])
    .map((item, index) => {
      const marker = ordered ? `${start + index}. ` : "- ";
      // Nested lists inside an item sit on their own lines, indented under the item.
      const body = (item.content ?? []).map(block).filter(Boolean).join("\n");
      return indent(body, marker, " ".repeat(marker.length));
    })
    .join("\n");
}

function block(node: AdfNode): string {
  switch (node.type) {
    case "doc":
      return blocks(node.content);
    case "paragraph":
      return (node.content ?? []).map(inlineText).join("");
    case "heading": {
      const level = Math.min(Math.max(Number(node.attrs?.level ?? 1) || 1, 1), 6);
      return `${"#".repeat(level)} ${(node.content ?? []).map(inlineText).join("")}`;
    }
    case "bulletList":
      return listItems(node, false);
    case "orderedList":
      return listItems(node, true);
    case "codeBlock": {
      const language = typeof node.attrs?.language === "string" ? node.attrs.language : "";
      return `\`\`\`${language}\n${(node.content ?? []).map(inlineText).join("")}\n\`\`\``;
    }
    case "blockquote":
      return indent(blocks(node.content), "> ", "> ");
    case "rule":
      return "---";
    case "panel":
    case "expand":
    case "nestedExpand": {
      const title = typeof node.attrs?.title === "string" && node.attrs.title !== "" ? `${node.attrs.title}\n` : "";
      return `${title}${blocks(node.content)}`;
    }
    case "table":
      return (node.content ?? [])
        .map((row) => `| ${(row.content ?? []).map((cell) => blocks(cell.content).replace(/\n+/g, " ")).join(" | ")} |`)
        .join("\n");
    case "mediaSingle":
    case "mediaGroup":
    case "media":
      return "[attachment]";
    default:
      // Unknown or inline-at-top-level nodes: keep whatever text they carry.
      return node.content ? (node.content.some((child) => child.type === "text") ? node.content.map(inlineText).join("") : blocks(node.content)) : inlineText(node);
  }
}

/** Deeper than any document a person writes; a crafted one nested thousands deep must not overflow the stack. */
const maxDepth = 50;

/**
 * The document as far as it is well formed: children that are not objects, `content` that is not a list
 * and anything nested deeper than maxDepth are dropped. Webhook payloads are someone's JSON, not ADF.
 */
function wellFormed(node: AdfNode, depth: number): AdfNode {
  if (node.content === undefined) return node;
  const children = Array.isArray(node.content) && depth < maxDepth ? node.content : [];
  return { ...node, content: children.filter((child): child is AdfNode => typeof child === "object" && child !== null).map((child) => wellFormed(child, depth + 1)) };
}

/**
 * Renders ADF (Jira descriptions and comments) as readable plain text with markdown-ish structure, for
 * prompts and summaries. Links keep their target, mentions their name; unknown nodes keep their text.
 * The one ADF-to-text rule (issue 18): the Jira webhook's description and the REST client's both use it,
 * so the planning prompt reads the same whichever of them it got the ticket from.
 */
export function adfToText(adf: unknown): string {
  if (adf === null || adf === undefined) return "";
  if (typeof adf === "string") return adf;
  if (typeof adf !== "object") return "";
  return block(wellFormed(adf as AdfNode, 0)).trim();
}
