/** The inputs message rendering needs; callers map their tasks and runs to these. */

export interface TaskSources {
  sentry?: { issueId: string; shortId?: string; permalink?: string | null };
  jira?: { key: string; url?: string };
  github?: { issueNumber: number; url?: string };
  slack?: { userId?: string; userName?: string; channelId?: string };
}

/** The red half of the TDD proof: the new test, run on the unfixed code, failed. */
export interface RedEvidence {
  command: string;
  exitCode: number | null;
  failingTests: string[];
  /** A few dozen lines of the failing output. */
  outputExcerpt: string;
  durationMs?: number;
}

/** The green half: the whole suite, run with the fix, passed. */
export interface GreenEvidence {
  command: string;
  passed: number;
  failed: number;
  skipped: number;
  /** Re-runs made to tell flaky tests from real failures. */
  reruns: number;
  durationMs: number;
}

/** What one Claude run cost. */
export interface PhaseUsage {
  phase: string;
  costUsd: number;
  turns: number;
  inputTokens: number;
  outputTokens: number;
  durationMs?: number;
}

export interface Evidence {
  red?: RedEvidence;
  green?: GreenEvidence;
  usage: PhaseUsage[];
}
