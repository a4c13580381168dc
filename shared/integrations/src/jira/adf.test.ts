import { describe, expect, it } from "vitest";
import { adf } from "./adf";

describe("adf builders", () => {
  it("build a valid version-1 doc with marks", () => {
    expect(adf.doc(adf.paragraph("see ", adf.link("PR", "https://x/1"), adf.strong("!")))).toEqual({
      type: "doc",
      version: 1,
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: "see " },
            { type: "text", text: "PR", marks: [{ type: "link", attrs: { href: "https://x/1" } }] },
            { type: "text", text: "!", marks: [{ type: "strong" }] },
          ],
        },
      ],
    });
  });

  it("drop empty text nodes, which Jira rejects", () => {
    expect(adf.paragraph("", "a", adf.text(""))).toEqual({ type: "paragraph", content: [{ type: "text", text: "a" }] });
    expect(adf.codeBlock("")).toEqual({ type: "codeBlock", content: [] });
  });
});
