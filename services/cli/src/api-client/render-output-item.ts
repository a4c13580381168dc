import type { OutputItem } from "@fixline/core";
import type { TerminalStyle } from "./terminal-style";

/** The readable output items the server sends on `output` events: the API contract's, in @fixline/core. */
export type { OutputItem };

const maxResultLines = 6;

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

/** One item as terminal lines, the way the dashboard shows it: text, 🔧 tool calls, short results, a summary. */
export function renderOutputItem(item: OutputItem, style: TerminalStyle): string {
  switch (item.kind) {
    case "text":
      return item.text;
    case "tool_use":
      return `🔧 ${style.bold(style.cyan(item.name))}${item.summary ? `: ${item.summary}` : ""}`;
    case "tool_result": {
      const lines = item.text.replace(/\n+$/, "").split("\n");
      const shown = lines.slice(0, maxResultLines).join("\n");
      const more = lines.length > maxResultLines || item.truncated ? `\n… ${lines.length > maxResultLines ? `${lines.length - maxResultLines} more lines` : "truncated"}` : "";
      const body = indent(`${shown || "(no output)"}${more}`, "   ");
      return item.isError ? style.red(body.replace(/^ {3}/, " ✗ ")) : style.dim(body.replace(/^ {3}/, " ↳ "));
    }
    case "result": {
      const facts = [
        item.turns !== null ? `${item.turns} turns` : undefined,
        item.costUsd !== null ? `$${item.costUsd.toFixed(3)}` : undefined,
        item.durationMs !== null ? `${(item.durationMs / 1000).toFixed(1)}s` : undefined,
      ]
        .filter(Boolean)
        .join(" · ");
      const head = item.isError ? style.red(`✗ Run failed${facts ? ` · ${facts}` : ""}`) : style.green(`✓ Run finished${facts ? ` · ${facts}` : ""}`);
      return `${head}\n${indent(item.text, "  ")}`;
    }
    case "phase":
    case "run_end":
      return style.yellow(`── ${item.text} ──`);
    case "log":
      return style.dim(`${item.phase ? `[${item.phase}] ` : ""}${item.text}`);
    case "system":
      return style.dim(`● ${item.text}`);
    default:
      return item.text;
  }
}
