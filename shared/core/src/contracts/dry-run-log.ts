import { z } from "zod";

/** What a dry run would have sent: shown on the task in the dashboard, CLI and logs. */
export const wouldHaveSentSchema = z.object({
  /** github, slack, jira, sentry, git, hook... */
  channel: z.string(),
  /** push, open_draft_pr, mark_ready, comment, post_message... */
  action: z.string(),
  /** Where it would have gone: a branch, a PR, a channel, an issue key. */
  target: z.string(),
  /** A human-readable summary (not a payload dump). */
  summary: z.string(),
  event: z.string().optional(),
  at: z.string().optional().describe("When it was held back (ISO 8601)"),
});
export type WouldHaveSent = z.infer<typeof wouldHaveSentSchema>;

/** The dry-run slice of the task's `data` column; only appendWouldHaveSent (shared/db) writes it. */
export const dryRunLogSchema = z.object({ wouldHaveSent: z.array(wouldHaveSentSchema).optional() });
export type DryRunLog = z.infer<typeof dryRunLogSchema>;
