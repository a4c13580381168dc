import type { RedisClient } from "@fixline/queue";
import { taskOutputStreamKey } from "@fixline/claude";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A stream-json line as one short human line: the agent's words, or the tool it called and on what. */
export function describeStreamLine(phase: string, line: string): string | undefined {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(message)) return undefined;
  if (message.type === "assistant" && isObject(message.message) && Array.isArray(message.message.content)) {
    for (const block of [...(message.message.content as unknown[])].reverse()) {
      if (!isObject(block)) continue;
      if (block.type === "text" && typeof block.text === "string") return `[${phase}] ${oneLine(block.text)}`;
      if (block.type === "tool_use" && typeof block.name === "string") {
        const input = isObject(block.input) ? block.input : {};
        const target = [input.command, input.file_path, input.pattern].find((v) => typeof v === "string");
        return `[${phase}] ${block.name}${typeof target === "string" ? `: ${oneLine(target, 90)}` : ""}`;
      }
    }
  }
  if (message.type === "result") return `[${phase}] run finished${typeof message.total_cost_usd === "number" ? ` ($${message.total_cost_usd.toFixed(2)})` : ""}`;
  return undefined;
}

/**
 * The newest readable line of a task's live output (the Redis stream the runner appends to), looking back
 * a few entries past tool results and bookkeeping lines.
 */
export async function latestOutputLine(redis: RedisClient, taskId: string): Promise<string | undefined> {
  const entries = await redis.xrevrange(taskOutputStreamKey(taskId), "+", "-", "COUNT", 20);
  for (const [, fields] of entries) {
    const get = (name: string) => fields[fields.indexOf(name) + 1];
    const line = fields.includes("line") ? get("line") : undefined;
    const described = line ? describeStreamLine(get("phase") ?? "agent", line) : undefined;
    if (described) return described;
  }
  return undefined;
}
