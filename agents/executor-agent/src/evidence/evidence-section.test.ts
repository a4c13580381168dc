import { describe, expect, it } from "vitest";
import { outputExcerpt } from "./output-excerpt";
import { withEvidenceSection } from "./evidence-section";

describe("withEvidenceSection", () => {
  const body = "## Fixline: bug\n\n### Plan\nDo it.\n\n---\nTask `t1`\n\n<!-- fixline:task=t1 -->";

  it("inserts before the footer and keeps the planning part", () => {
    const next = withEvidenceSection(body, "### Evidence\nred");
    expect(next.indexOf("### Plan")).toBeLessThan(next.indexOf("### Evidence"));
    expect(next.indexOf("### Evidence")).toBeLessThan(next.indexOf("---\nTask"));
    expect(next).toContain("<!-- fixline:task=t1 -->");
  });

  it("replaces its own section on a second run instead of adding another", () => {
    const once = withEvidenceSection(body, "### Evidence\nfirst");
    const twice = withEvidenceSection(once, "### Evidence\nsecond");
    expect(twice).toContain("second");
    expect(twice).not.toContain("first");
    expect(twice.match(/fixline:evidence:start/g)).toHaveLength(1);
  });

  it("handles an empty body", () => {
    expect(withEvidenceSection(null, "x")).toBe("<!-- fixline:evidence:start -->\nx\n<!-- fixline:evidence:end -->");
  });
});

describe("outputExcerpt", () => {
  it("starts near the first failure and is bounded", () => {
    const output = [...Array.from({ length: 100 }, (_, i) => `ok ${i + 1} - t${i}`), "not ok 101 - pads cents", "  error: 'x'", ...Array.from({ length: 100 }, () => "noise")].join("\n");
    const excerpt = outputExcerpt(output, { maxLines: 10 });
    expect(excerpt.split("\n")).toHaveLength(10);
    expect(excerpt).toContain("not ok 101 - pads cents");
  });

  it("falls back to the tail and strips colours", () => {
    expect(outputExcerpt("a\nb\n\u001b[31mc\u001b[0m", { maxLines: 2 })).toBe("b\nc");
  });
});
