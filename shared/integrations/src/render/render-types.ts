/** The inputs message rendering needs; callers map their tasks and runs to these. */

export interface TaskSources {
  sentry?: { issueId: string; shortId?: string; permalink?: string | null };
  jira?: { key: string; url?: string };
  github?: { issueNumber: number; url?: string };
  slack?: { userId?: string; userName?: string; channelId?: string };
}

/** The proof's shapes are @fixline/core's contracts (the executor writes them, the renderers read them). */
export type { RedEvidence, GreenEvidence, PhaseUsage, Evidence } from "@fixline/core";
