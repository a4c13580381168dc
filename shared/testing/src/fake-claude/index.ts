export { createFakeClaude, fakeClaudeScript, type FakeClaude, type CreateFakeClaudeOptions } from "./create-fake-claude";
export { fakeScenarios, type FakeClaudeScenario, type FakeClaudeRun, type FakeClaudeStep, type FakeClaudeCall } from "./scenario";
