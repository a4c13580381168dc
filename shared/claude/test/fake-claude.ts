// The fake CLI lives in @fixline/testing; until its front door re-exports it (src/index.ts is owned by the
// testing package), the suites reach it through this one file.
export { createFakeClaude, fakeScenarios, type FakeClaude, type FakeClaudeScenario, type FakeClaudeCall } from "../../testing/src/fake-claude/index";
