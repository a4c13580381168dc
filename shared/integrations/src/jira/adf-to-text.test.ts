import { describe, expect, it } from "vitest";
import { adf } from "./adf";
import { adfToText } from "./adf-to-text";

describe("adfToText", () => {
  it("renders paragraphs, headings, breaks, marks and mentions", () => {
    const doc = {
      type: "doc",
      version: 1,
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Steps" }] },
        {
          type: "paragraph",
          content: [
            { type: "text", text: "Ask " },
            { type: "mention", attrs: { id: "123", text: "@Grace Hopper" } },
            { type: "text", text: " about " },
            { type: "text", text: "the docs", marks: [{ type: "link", attrs: { href: "https://docs.example.com" } }] },
            { type: "hardBreak" },
            { type: "text", text: "https://same.example.com", marks: [{ type: "link", attrs: { href: "https://same.example.com" } }] },
          ],
        },
        { type: "paragraph", content: [{ type: "inlineCard", attrs: { url: "https://jira.example.com/browse/ED-2" } }, { type: "emoji", attrs: { shortName: ":smile:", text: "😄" } }] },
      ],
    };
    expect(adfToText(doc)).toBe(
      "## Steps\n\nAsk @Grace Hopper about the docs (https://docs.example.com)\nhttps://same.example.com\n\nhttps://jira.example.com/browse/ED-2😄",
    );
  });

  it("renders bullet, ordered and nested lists, code blocks and quotes", () => {
    const doc = {
      type: "doc",
      version: 1,
      content: [
        {
          type: "orderedList",
          attrs: { order: 3 },
          content: [
            { type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "open cart" }] }] },
            {
              type: "listItem",
              content: [
                { type: "paragraph", content: [{ type: "text", text: "click pay" }] },
                { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "twice" }] }] }] },
              ],
            },
          ],
        },
        { type: "codeBlock", attrs: { language: "js" }, content: [{ type: "text", text: "total(null)\n// NaN" }] },
        { type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "line one" }] }, { type: "paragraph", content: [{ type: "text", text: "line two" }] }] },
        { type: "rule" },
        { type: "mediaSingle", content: [{ type: "media", attrs: { id: "x" } }] },
      ],
    };
    expect(adfToText(doc)).toBe(
      ["3. open cart", "4. click pay", "   - twice", "", "```js", "total(null)\n// NaN", "```", "", "> line one", "> ", "> line two", "", "---", "", "[attachment]"].join("\n"),
    );
  });

  it("keeps the text of unknown nodes and tolerates null, strings and junk", () => {
    expect(adfToText({ type: "doc", version: 1, content: [{ type: "futureBlock", content: [{ type: "paragraph", content: [{ type: "text", text: "still here" }] }] }] })).toBe("still here");
    expect(adfToText({ type: "doc", version: 1, content: [{ type: "panel", attrs: { panelType: "info" }, content: [{ type: "paragraph", content: [{ type: "text", text: "note" }] }] }] })).toBe("note");
    expect(adfToText(null)).toBe("");
    expect(adfToText(undefined)).toBe("");
    expect(adfToText("plain")).toBe("plain");
    expect(adfToText(42)).toBe("");
  });

  it("round-trips what the builders produce", () => {
    const doc = adf.doc(
      adf.heading(3, "Plan ready"),
      adf.paragraph(adf.strong("Root cause: "), "null price"),
      adf.bulletList([adf.code("src/a.ts")], ["b"]),
      adf.codeBlock("npm test", "sh"),
      adf.paragraph("PR: ", adf.link("#3", "https://github.com/acme/shop/pull/3")),
    );
    expect(adfToText(doc)).toBe("### Plan ready\n\nRoot cause: null price\n\n- src/a.ts\n- b\n\n```sh\nnpm test\n```\n\nPR: #3 (https://github.com/acme/shop/pull/3)");
  });

  // The cases the Jira webhook's own flattener was tested with (services/webhook-server, before issue 18).
  it("renders a webhook's ADF description: mention, code block and list, the first line first", () => {
    const doc = {
      type: "doc",
      version: 1,
      content: [
        { type: "paragraph", content: [{ type: "text", text: "Login fails for " }, { type: "mention", attrs: { id: "1", text: "@Mia" } }] },
        { type: "codeBlock", content: [{ type: "text", text: "TypeError: x is undefined" }] },
        { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "step one" }] }] }] },
      ],
    };
    expect(adfToText(doc)).toBe("Login fails for @Mia\n\n```\nTypeError: x is undefined\n```\n\n- step one");
    expect(adfToText("Steps:\n# one")).toBe("Steps:\n# one");
  });

  it("survives hostile structure: deep nesting, content that is not a list, children that are not nodes", () => {
    let deep: Record<string, unknown> = { type: "text", text: "bottom" };
    for (let i = 0; i < 100_000; i++) deep = { type: "paragraph", content: [deep] };
    expect(adfToText({ type: "doc", content: [deep] })).toBe("");
    const odd = { type: "doc", content: [{ type: "paragraph", content: { type: "text", text: "x" } }, null, 7, { type: "paragraph", content: [null, { type: "text", text: "kept" }] }] };
    expect(adfToText(odd)).toBe("kept");
  });
});
