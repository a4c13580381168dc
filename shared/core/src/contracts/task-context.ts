import { z } from "zod";

/**
 * Source-specific facts gathered at ingest (the webhook sources write them, planning and notify read them).
 * Every field is optional: each source fills what it has. Untrusted text: rendered into prompts only as
 * fenced data.
 */
const signalContextSchema = z.object({
  description: z.string().optional(),
  sentry: z
    .object({
      issueId: z.string(),
      shortId: z.string().optional(),
      projectSlug: z.string().optional(),
      permalink: z.string().nullable().optional(),
      culprit: z.string().optional(),
      level: z.string().optional(),
      errorType: z.string().optional(),
      errorValue: z.string().optional(),
      count: z.string().optional(),
      userCount: z.number().optional(),
      firstSeen: z.string().optional(),
      lastSeen: z.string().optional(),
      /** Stack frames if the webhook carried an event (event_alert). */
      frames: z.array(z.object({ filename: z.string().optional(), function: z.string().optional(), lineno: z.number().optional(), context_line: z.string().optional() })).optional(),
      eventId: z.string().optional(),
    })
    .optional(),
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
