import type { OutputItem } from "@fixline/core";

/** The item shapes are the API contract's (@fixline/core outputItemSchema): the dashboard and the CLI render them. */
export type { OutputItem };

/** Tool results can be whole files; the live view shows the start and says it was cut. */
export const maxToolResultChars = 8000;
const maxSummaryChars = 160;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

function oneLine(text: string, max = maxSummaryChars): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The argument a person wants to see next to a tool name: the command, the file, the pattern. */
export function summarizeToolInput(name: string, input: unknown): string {
  if (!isObject(input)) return "";
  const pick = (...keys: string[]): string | undefined => keys.map((k) => str(input[k])).find((v) => v !== undefined && v !== "");
  switch (name) {
    case "Bash":
      return oneLine(pick("command") ?? "");
    case "Read":
    case "Write":
    case "Edit":
    case "MultiEdit":
    case "NotebookEdit":
      return pick("file_path", "notebook_path") ?? "";
    case "Grep": {
      const where = pick("path", "glob");
      return oneLine(`${pick("pattern") ?? ""}${where ? ` in ${where}` : ""}`);
    }
    case "Glob":
      return pick("pattern") ?? "";
    case "TodoWrite":
      return Array.isArray(input.todos) ? `${input.todos.length} todo${input.todos.length === 1 ? "" : "s"}` : "";
    case "Task":
      return oneLine(pick("description", "prompt") ?? "");
    default: {
      const first = Object.values(input).find((v) => typeof v === "string" && v !== "");
      return typeof first === "string" ? oneLine(first) : "";
    }
  }
}

function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (isObject(part) && part.type === "text" ? (str(part.text) ?? "") : isObject(part) ? `[${str(part.type) ?? "content"}]` : ""))
      .join("\n");
  }
  return content === undefined || content === null ? "" : JSON.stringify(content);
}

function describeMessage(message: Json): OutputItem[] {
  switch (message.type) {
    case "assistant": {
      const content = isObject(message.message) ? message.message.content : undefined;
      if (!Array.isArray(content)) return [];
      const items: OutputItem[] = [];
      for (const part of content) {
        if (!isObject(part)) continue;
        if (part.type === "text" && str(part.text)?.trim()) items.push({ kind: "text", text: str(part.text)!.trim() });
        if (part.type === "tool_use") {
          const name = str(part.name) ?? "tool";
          items.push({ kind: "tool_use", name, summary: summarizeToolInput(name, part.input), input: JSON.stringify(part.input ?? {}, null, 2) });
        }
      }
      return items;
    }
    case "user": {
      const content = isObject(message.message) ? message.message.content : undefined;
      if (!Array.isArray(content)) return [];
      return content.filter((part): part is Json => isObject(part) && part.type === "tool_result").map((part) => {
        const text = toolResultText(part.content);
        const truncated = text.length > maxToolResultChars;
        return { kind: "tool_result", text: truncated ? text.slice(0, maxToolResultChars) : text, isError: part.is_error === true, truncated };
      });
    }
    case "result": {
      const isError = message.is_error === true;
      const resultText = str(message.result);
      const subtype = str(message.subtype);
      const text = resultText?.trim() ? resultText.trim() : isError ? `run ended with ${subtype ?? "an error"}` : "run finished";
      return [{ kind: "result", text, isError, costUsd: num(message.total_cost_usd), turns: num(message.num_turns), durationMs: num(message.duration_ms) }];
    }
    case "system": {
      if (message.subtype === "init") {
        const model = str(message.model);
        const tools = Array.isArray(message.tools) ? message.tools.length : undefined;
        return [{ kind: "system", text: `Claude session started${model ? ` · ${model}` : ""}${tools !== undefined ? ` · ${tools} tools` : ""}` }];
      }
      return [];
    }
    case "fixline": {
      const text = str(message.text) ?? "";
      const phase = str(message.phase) ?? null;
      return message.kind === "phase" ? [{ kind: "phase", text: text || `phase ${phase ?? ""}`.trim(), phase }] : [{ kind: "log", text, phase }];
    }
    default:
      // stream_event partials and messages we do not show: the transcript keeps them.
      return [];
  }
}

/**
 * Turns one entry of `task:<id>:output` into readable items. `type` is the entry's `type` field:
 * the run sink marks its closing record `fixline.run_end`.
 */
export function describeOutputEntry(fields: { line?: string | undefined; type?: string | undefined }): OutputItem[] {
  const line = fields.line ?? "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line.trim() ? [{ kind: "raw", text: line }] : [];
  }
  if (fields.type === "fixline.run_end") {
    const end = isObject(parsed) ? parsed : {};
    const status = str(end.status) ?? str(end.outcome);
    const code = str(end.errorCode) ?? str(end.code);
    return [{ kind: "run_end", text: `run ended${status ? `: ${status}` : ""}${code ? ` (${code})` : ""}` }];
  }
  return isObject(parsed) ? describeMessage(parsed) : [{ kind: "raw", text: line }];
}
