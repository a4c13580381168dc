import { z } from "zod";
import { sentryFactsSchema } from "../domain/sentry-facts";

/**
 * Source-specific facts gathered at ingest (the webhook sources write them, planning and notify read them).
 * Every field is optional: each source fills what it has. Untrusted text: rendered into prompts only as
 * fenced data.
 */
const signalContextSchema = z.object({
  description: z.string().optional(),
  sentry: sentryFactsSchema.optional(),
  jira: z
    .object({
      key: z.string(),
      projectKey: z.string().optional(),
      summary: z.string().optional(),
      descriptionText: z.string().optional(),
      url: z.string().optional(),
      reporter: z.string().optional(),
    })
    .optional(),
  github: z.object({ issueNumber: z.number(), title: z.string().optional(), body: z.string().optional(), url: z.string().optional(), author: z.string().optional() }).optional(),
  slack: z.object({ text: z.string(), userId: z.string(), userName: z.string().optional(), channelId: z.string().optional(), teamId: z.string().optional() }).optional(),
});

/**
 * The task's `context` column. A repeated signal for the same source object keeps the first context and puts
 * the newest one under `latest` (ingest's `context || jsonb_build_object('latest', ...)`).
 */
export const taskContextSchema = signalContextSchema.extend({ latest: signalContextSchema.optional() });
export type TaskContext = z.infer<typeof taskContextSchema>;
