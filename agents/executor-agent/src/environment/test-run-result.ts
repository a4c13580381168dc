/** One test as the runner reported it. */
export interface TestCase {
  name: string;
  status: "passed" | "failed" | "skipped";
}

/** The agreed shape of @fixline/environments' runTests result. */
export interface TestRunResult {
  exitCode: number;
  passed: boolean;
  durationMs: number;
  /** The tail of the combined output, bounded, ANSI stripped. */
  output: string;
  tests: TestCase[];
  counts: { passed: number; failed: number; skipped: number };
}
