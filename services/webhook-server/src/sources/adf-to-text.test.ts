import { describe, expect, it } from "vitest";
import { jiraDescriptionText } from "./adf-to-text";

describe("jiraDescriptionText", () => {
  it("keeps strings and turns null into empty text", () => {
    expect(jiraDescriptionText("Steps:\n# one")).toBe("Steps:\n# one");
    expect(jiraDescriptionText(null)).toBe("");
    expect(jiraDescriptionText(undefined)).toBe("");
  });

  it("flattens Atlassian Document Format into lines", () => {
    const adf = {
      type: "doc",
      version: 1,
      content: [
        { type: "paragraph", content: [{ type: "text", text: "Login fails for " }, { type: "mention", attrs: { id: "1", text: "@Mia" } }] },
        { type: "codeBlock", content: [{ type: "text", text: "TypeError: x is undefined" }] },
        { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "step one" }] }] }] },
      ],
    };
    const text = jiraDescriptionText(adf);
    expect(text).toContain("Login fails for @Mia");
    expect(text).toContain("TypeError: x is undefined");
    expect(text).toContain("- step one");
    expect(text.split("\n")[0]).toBe("Login fails for @Mia");
  });
});
