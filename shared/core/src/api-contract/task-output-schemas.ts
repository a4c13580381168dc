import { z } from "zod";
import { taskStates } from "../domain/task-state";

/**
 * One readable piece of a task's live output. The server turns raw stream-json lines into these so the
 * dashboard and the CLI render the same thing without each re-implementing the SDK message shapes.
 */
export const outputItemSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), text: z.string() }),
  z.object({ kind: z.literal("tool_use"), name: z.string(), summary: z.string(), input: z.string() }),
  z.object({ kind: z.literal("tool_result"), text: z.string(), isError: z.boolean(), truncated: z.boolean() }),
  z.object({ kind: z.literal("result"), text: z.string(), isError: z.boolean(), costUsd: z.number().nullable(), turns: z.number().nullable(), durationMs: z.number().nullable() }),
  z.object({ kind: z.literal("system"), text: z.string() }),
  z.object({ kind: z.literal("log"), text: z.string(), phase: z.string().nullable() }),
  z.object({ kind: z.literal("phase"), text: z.string(), phase: z.string().nullable() }),
  z.object({ kind: z.literal("run_end"), text: z.string() }),
  z.object({ kind: z.literal("raw"), text: z.string() }),
]);
export type OutputItem = z.infer<typeof outputItemSchema>;

/** The data of an SSE `output` event: one Redis stream entry of GET /api/tasks/{id}/stream. */
export const outputEventSchema = z.object({ id: z.string(), run: z.string().nullable(), phase: z.string().nullable(), items: z.array(outputItemSchema) });
export type OutputEvent = z.infer<typeof outputEventSchema>;

/** The data of the SSE `state` (the task moved) and `end` (nothing more until a person acts) events. */
export const streamStateEventSchema = z.object({ state: z.enum(taskStates) });
export type StreamStateEvent = z.infer<typeof streamStateEventSchema>;
