import type { SDKAssistantMessage, SDKMessage, SDKResultMessage, SDKSystemMessage } from "@anthropic-ai/claude-agent-sdk";

/** One stdout line of `claude -p --output-format stream-json`: an SDK message, or text we keep but cannot read. */
export type ParsedStreamLine = { kind: "message"; message: SDKMessage } | { kind: "invalid"; reason: string };

/**
 * Parses a line as an SDKMessage. The CLI is trusted to send the SDK's shapes (the types come from
 * @anthropic-ai/claude-agent-sdk), so we check only what every message has: a JSON object with a string `type`.
 * Anything else is "invalid" and never throws: a stray console.log in an MCP server must not fail a run.
 */
export function parseStreamLine(line: string): ParsedStreamLine {
  const trimmed = line.trim();
  if (trimmed === "") return { kind: "invalid", reason: "empty line" };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { kind: "invalid", reason: "not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { kind: "invalid", reason: "not a JSON object" };
  if (typeof (value as { type?: unknown }).type !== "string") return { kind: "invalid", reason: "no message type" };
  return { kind: "message", message: value as SDKMessage };
}

export function isResultMessage(message: SDKMessage): message is SDKResultMessage {
  return message.type === "result";
}

export function isInitMessage(message: SDKMessage): message is SDKSystemMessage {
  return message.type === "system" && (message as { subtype?: unknown }).subtype === "init";
}

export function isAssistantMessage(message: SDKMessage): message is SDKAssistantMessage {
  return message.type === "assistant";
}
