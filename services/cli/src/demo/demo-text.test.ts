import { describe, expect, it } from "vitest";
import { evidenceForTerminal } from "./evidence-for-terminal";
import { describeStreamLine } from "./latest-output-line";
import { markdownSection } from "./markdown-section";
import { createProgressReporter } from "./progress-reporter";
import { shopPlan } from "@fixline/testing";

const body = `### Plan
Skip removed products.

### Evidence

| Step | Command | Result |
|---|---|---|
| 🔴 Red | \`node --test\` | exit 1 |

<details><summary>Red run output (excerpt)</summary>

\`\`\`text
not ok 3
\`\`\`

</details>

| Phase | Cost |
|---|---:|
| red | $0.34 |
<!-- fixline:evidence:end -->

---
Task \`abc\`

### After
nothing`;

describe("markdownSection", () => {
  it("returns a section's body up to the next heading of the same level", () => {
    expect(markdownSection(shopPlan(), "Summary")).toBe("computeTotal throws a TypeError for a cart line whose product was removed; skip lines whose product was removed.");
    expect(markdownSection(body, "Plan", { withHeading: true })).toBe("### Plan\nSkip removed products.");
    expect(markdownSection(body, "Evidence")).toContain("| red | $0.34 |");
    expect(markdownSection(body, "Evidence")).not.toContain("nothing");
    expect(markdownSection(body, "Missing")).toBeUndefined();
  });
});

describe("evidenceForTerminal", () => {
  it("keeps the tables and drops the collapsed output, HTML comments and the footer", () => {
    const text = evidenceForTerminal(markdownSection(body, "Evidence")!);
    expect(text).toBe("| Step | Command | Result |\n|---|---|---|\n| 🔴 Red | `node --test` | exit 1 |\n\n| Phase | Cost |\n|---|---:|\n| red | $0.34 |");
  });
});

describe("describeStreamLine", () => {
  it("shows the agent's words or the tool it called, and skips what is not a message", () => {
    const text = JSON.stringify({ type: "assistant", message: { content: [{ type: "text", text: "Reading\n  the code" }] } });
    const tool = JSON.stringify({ type: "assistant", message: { content: [{ type: "tool_use", name: "Bash", input: { command: "node --test" } }] } });
    expect(describeStreamLine("red", text)).toBe("[red] Reading the code");
    expect(describeStreamLine("green", tool)).toBe("[green] Bash: node --test");
    expect(describeStreamLine("planning", JSON.stringify({ type: "result", total_cost_usd: 0.214 }))).toBe("[planning] run finished ($0.21)");
    expect(describeStreamLine("planning", JSON.stringify({ type: "user", message: {} }))).toBeUndefined();
    expect(describeStreamLine("planning", "not json")).toBeUndefined();
  });
});

describe("createProgressReporter without a terminal", () => {
  it("prints plain lines in order: steps, changed details only, done with the elapsed time", () => {
    let out = "";
    let now = 1_000;
    const progress = createProgressReporter({ write: (s: string) => (out += s), isTTY: false }, { nowMs: () => now });
    progress.step("Planning");
    progress.detail("state: planning");
    progress.detail("state: planning");
    now += 2_500;
    progress.done("Draft PR #1 opened");
    progress.line("done");
    expect(out).toBe("… Planning\n    state: planning\n✔ Draft PR #1 opened (2.5s)\ndone\n");
    expect(out).not.toContain("\u001b");
  });
});
