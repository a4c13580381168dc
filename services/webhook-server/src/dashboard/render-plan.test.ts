import { describe, expect, it } from "vitest";
import { renderPlan } from "./render-plan";

describe("renderPlan", () => {
  it("renders headings, lists and code", () => {
    const html = renderPlan("# Plan\n\n- fix `parse()`\n\n```ts\nconst a = 1 < 2;\n```\n");
    expect(html).toContain("<h1>Plan</h1>");
    expect(html).toContain("<li>fix <code>parse()</code></li>");
    expect(html).toContain("const a = 1 &lt; 2;");
  });

  it("shows raw HTML as text instead of interpreting it", () => {
    const html = renderPlan('Hello <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("drops javascript: links but keeps https ones", () => {
    const html = renderPlan("[bad](javascript:alert(1)) and [good](https://example.com/x)");
    expect(html).not.toContain("javascript:");
    expect(html).toContain('href="https://example.com/x"');
    expect(html).toContain("bad");
  });
});
