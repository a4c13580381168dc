import { Marked, type Tokens } from "marked";

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Links keep only schemes that cannot run script; PLAN.md is written by an agent that read untrusted text. */
const safeHref = (href: string): string | undefined => (/^(https?:|mailto:|#|\/(?!\/))/i.test(href.trim()) ? href.trim() : undefined);

const marked = new Marked({
  gfm: true,
  renderer: {
    // Raw HTML in the markdown is shown as text, never interpreted.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens);
      const safe = safeHref(href);
      if (!safe) return inner;
      return `<a href="${escapeHtml(safe)}"${title ? ` title="${escapeHtml(title)}"` : ""} rel="noopener noreferrer" target="_blank">${inner}</a>`;
    },
    // Images would load from anywhere the plan names; show the alt text and the link instead.
    image({ href, text }: Tokens.Image) {
      const safe = safeHref(href);
      return safe ? `<a href="${escapeHtml(safe)}" rel="noopener noreferrer" target="_blank">${escapeHtml(text || safe)}</a>` : escapeHtml(text);
    },
  },
});

/** Renders PLAN.md to HTML on the server, with raw HTML escaped and unsafe links dropped. */
export function renderPlan(markdown: string): string {
  return marked.parse(markdown, { async: false });
}
