import { z } from "zod";
import { taskSources } from "../domain/task-state";

/** Who asked for the task (the `requester` column), written at ingest and read by notify for progress replies. */
export const requesterSchema = z.object({
  via: z.enum(taskSources),
  id: z.string().optional(),
  name: z.string().optional(),
  /** Slack's response_url for the command that created the task, for progress replies. */
  responseUrl: z.string().optional(),
  channel: z.string().optional(),
});
export type Requester = z.infer<typeof requesterSchema>;
