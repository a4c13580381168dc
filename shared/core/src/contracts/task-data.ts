import type { z } from "zod";
import { dryRunLogSchema } from "./dry-run-log";
import { executionStateSchema } from "./execution-state";
import { planDataSchema } from "./plan-data";

/**
 * The task's `data` column: one flat JSON object made of slices, each owned by one writer (planning's plan
 * facts, the executor's state, the dry-run log). Keys are unique across slices, so they merge shallowly.
 */
export const taskDataSchema = planDataSchema.extend(executionStateSchema.shape).extend(dryRunLogSchema.shape);
export type TaskData = z.infer<typeof taskDataSchema>;

/**
 * A write to `data` (merged shallowly): a slice's keys, where null clears a key. The dry-run log is not in it:
 * it is appended to atomically, never replaced.
 */
export const taskDataPatchSchema = planDataSchema.extend(executionStateSchema.shape).partial();
export type TaskDataPatch = { [K in keyof z.infer<typeof taskDataPatchSchema>]?: z.infer<typeof taskDataPatchSchema>[K] | null };
