import { z } from "zod";

/** The red half of the proof: the new test, run before the fix, failed. */
export const redEvidenceSchema = z.object({
  command: z.string(),
  exitCode: z.number().nullable(),
  failingTests: z.array(z.string()),
  /** A few dozen lines of the failing output. */
  outputExcerpt: z.string(),
  durationMs: z.number().optional(),
});
export type RedEvidence = z.infer<typeof redEvidenceSchema>;

/** The green half: the whole suite, run with the fix, passed. */
export const greenEvidenceSchema = z.object({
  command: z.string(),
  passed: z.number(),
  failed: z.number(),
  skipped: z.number(),
  /** Re-runs made to tell flaky tests from real failures. */
  reruns: z.number(),
  durationMs: z.number(),
});
export type GreenEvidence = z.infer<typeof greenEvidenceSchema>;

/** What one phase's Claude runs cost. */
export const phaseUsageSchema = z.object({
  phase: z.string(),
  costUsd: z.number(),
  turns: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  durationMs: z.number().optional(),
});
export type PhaseUsage = z.infer<typeof phaseUsageSchema>;

/** What the renderers (PR body, Slack, Jira) show of a proof. */
export const evidenceSchema = z.object({
  red: redEvidenceSchema.optional(),
  green: greenEvidenceSchema.optional(),
  usage: z.array(phaseUsageSchema),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/** How each verification run was scoped (issue 19): "whole suite", "reused from task …", "targeted: 1 file". */
export const testRunsNoteSchema = z.object({ base: z.string().optional(), red: z.string().optional(), green: z.string().optional(), reruns: z.string().optional() });
export type TestRunsNote = z.infer<typeof testRunsNoteSchema>;

/**
 * The task's `evidence` column, written by the executor and read by notify, the API and outcomes: the
 * renderers' Evidence plus the facts behind it.
 */
export const executionEvidenceSchema = evidenceSchema.extend({
  environment: z.object({
    testCommand: z.string(),
    detected: z.object({ kind: z.string(), evidence: z.array(z.string()) }),
    setupCommands: z.array(z.string()),
    /** Setup time in this job (every setup run), and whether the first one restored dependencies from the cache. */
    setupMs: z.number().optional(),
    cacheHit: z.boolean().optional(),
  }),
  baseline: z.object({ commit: z.string(), passed: z.number(), failed: z.number(), preExistingFailures: z.array(z.string()) }),
  redCommit: z.string().optional(),
  greenCommit: z.string().optional(),
  /** Non-test files the agent changed during red; the harness put them back. */
  revertedInRed: z.array(z.string()).optional(),
  scope: z.object({ policy: z.enum(["warn", "block"]), outside: z.array(z.string()) }).optional(),
  /** What the agent did to git or PLAN.md that the harness took back before verifying (issue 15). */
  agentFindings: z.array(z.string()).optional(),
  /** The fix itself: the unified diff from the red commit to the green one (cut at fixDiffMaxChars). */
  fixDiff: z.string().optional(),
  testRuns: testRunsNoteSchema.optional(),
});
export type ExecutionEvidence = z.infer<typeof executionEvidenceSchema>;

/**
 * The `evidence` column as stored and read: every part optional, since a failure is recorded with what it had
 * gathered so far (and rows from older versions lack later parts).
 */
export const storedEvidenceSchema = executionEvidenceSchema.partial();
export type StoredEvidence = z.infer<typeof storedEvidenceSchema>;
