import { z } from "zod";
import { greenEvidenceSchema, redEvidenceSchema, testRunsNoteSchema } from "./evidence";

/** A test run as kept on the task: everything but the output. */
export const storedRunSchema = z.object({
  exitCode: z.number(),
  passed: z.boolean(),
  durationMs: z.number(),
  tests: z.array(z.object({ name: z.string(), file: z.string().optional(), status: z.enum(["passed", "failed", "skipped"]) })),
  counts: z.object({ passed: z.number(), failed: z.number(), skipped: z.number() }),
  timedOut: z.boolean(),
  command: z.string(),
  targeted: z.string().optional(),
});
export type StoredRun = z.infer<typeof storedRunSchema>;

/** Files (path -> content fingerprint, null when deleted). */
export const fileFingerprintsSchema = z.record(z.string(), z.string().nullable());
export type FileFingerprints = z.infer<typeof fileFingerprintsSchema>;

/**
 * The executor's slice of the task's `data` column, so a retried or redelivered job resumes from the last
 * proven phase. Bound to the plan commit (executionPlanSha): a new plan starts from scratch.
 */
export const executionStateSchema = z.object({
  executionPlanSha: z.string().optional(),
  baseCommit: z.string().optional(),
  baseRun: storedRunSchema.optional(),
  lastProvenPhase: z.enum(["red", "green"]).optional(),
  redCommit: z.string().optional(),
  greenCommit: z.string().optional(),
  sessionId: z.string().optional(),
  redTests: z.array(z.string()).optional(),
  redTestFiles: z.array(z.string()).optional(),
  redEvidence: redEvidenceSchema.optional(),
  greenEvidence: greenEvidenceSchema.optional(),
  revertedInRed: z.array(z.string()).optional(),
  scopeWarnings: z.array(z.string()).optional(),
  /** Files setup wrote (a generated lockfile): never the agent's change, never committed. */
  setupLeftovers: fileFingerprintsSchema.optional(),
  /** What the agent did to git or PLAN.md that the harness took back (commits, refs, plan edits). */
  agentFindings: z.array(z.string()).optional(),
  /** The commit holding the agent's unverified work after a failure (refs/fixline/<task>/wip on the remote). */
  wipCommit: z.string().optional(),
  /** How each verification run was scoped (issue 19). */
  testRuns: testRunsNoteSchema.optional(),
});
export type ExecutionState = z.infer<typeof executionStateSchema>;
export const executionStateKeys = executionStateSchema.keyof().options;
