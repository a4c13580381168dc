import { z } from "zod";

/** What the planning agent extracted from PLAN.md (parsePlan), so other packages never parse markdown. */
export const planFactsSchema = z.object({
  summary: z.string(),
  rootCause: z.string(),
  /** Repo-relative paths from the Affected files bullets. */
  affectedFiles: z.array(z.string()),
  failingTest: z.object({ file: z.string().optional(), name: z.string().optional(), asserts: z.string().optional() }),
  testCommand: z.string().optional(),
  /** The Fix steps section as written. Optional: plans stored before issue 15 lack it. */
  fixSteps: z.string().optional(),
});
export type PlanFacts = z.infer<typeof planFactsSchema>;

/** The pull request a dry-run plan would have opened (there is none: see dryRunPrNumber). */
export const dryRunPullRequestSchema = z.object({ title: z.string(), body: z.string() });
export type DryRunPullRequest = z.infer<typeof dryRunPullRequestSchema>;

/** The planning agent's slice of the task's `data` column. */
export const planDataSchema = z.object({
  plan: planFactsSchema.optional(),
  baseBranch: z.string().optional(),
  /** The PLAN.md commit. */
  planCommit: z.string().optional(),
  dryRunPullRequest: dryRunPullRequestSchema.optional(),
  /** Files the planning agent changed besides PLAN.md; thrown away (issue 15). */
  discardedFiles: z.array(z.string()).optional(),
});
export type PlanData = z.infer<typeof planDataSchema>;
