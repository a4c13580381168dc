/**
 * Renders infrastructure/grafana/dashboards/fixline.json to a PNG without Grafana: every panel's PromQL
 * is evaluated against a real Prometheus over the given range (Grafana's $__rate_interval, $__interval and
 * $__range substituted), the panels are laid out by gridPos on a 24-column grid in an HTML page, and
 * headless Chromium takes the screenshot. Panels whose queries return nothing say "No data".
 *
 * Usage:
 *   node --import tsx infrastructure/grafana/render/render-dashboard.ts --prometheus http://127.0.0.1:9090 \
 *     --from <unix seconds | ISO time> --to <unix seconds | ISO time> --out docs/images/grafana-dashboard.png
 *   [--dashboard <json>] [--rate-interval 30s] [--width 1800] [--html <also write the page here>]
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { dashboardHtml } from "./dashboard-html";
import { flattenPanels, type Dashboard } from "./dashboard-model";
import { evaluatePanel, type TimeRange } from "./evaluate-panels";
import { createPrometheusClient } from "./prometheus-client";

const here = dirname(fileURLToPath(import.meta.url));
const chromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function parseTime(text: string): number {
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text) / 1000;
}

export interface RenderOptions {
  prometheusUrl: string;
  from: number;
  to: number;
  out: string;
  dashboardPath?: string;
  rateInterval?: string;
  width?: number;
  htmlOut?: string;
  chromiumPath?: string;
}

export async function renderDashboard(options: RenderOptions): Promise<{ panels: number; withData: number }> {
  const dashboard = JSON.parse(await readFile(options.dashboardPath ?? resolve(here, "../dashboards/fixline.json"), "utf8")) as Dashboard;
  const width = options.width ?? 1800;
  // Grafana's $__interval: the range over about one point per two pixels of a half-width panel.
  const step = Math.max(1, Math.round((options.to - options.from) / 400));
  const range: TimeRange = { from: options.from, to: options.to, step, rateInterval: options.rateInterval ?? "30s" };
  const client = createPrometheusClient(options.prometheusUrl);
  const panels = [];
  for (const panel of flattenPanels(dashboard)) panels.push(await evaluatePanel(client, panel, range));
  const note = `Rendered from live Prometheus data by infrastructure/grafana/render (not Grafana itself): $__rate_interval = ${range.rateInterval}, $__interval = ${step}s, $__range = ${Math.round(options.to - options.from)}s.`;
  const html = dashboardHtml(dashboard, panels, range, { width, rowHeight: 36, gap: 8 }, note);
  if (options.htmlOut) await writeFile(options.htmlOut, html);

  const browser = await chromium.launch({ executablePath: options.chromiumPath ?? "/usr/bin/chromium", args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: "load" });
    await mkdir(dirname(resolve(options.out)), { recursive: true });
    await page.screenshot({ path: options.out, fullPage: true });
  } finally {
    await browser.close();
  }
  const visible = panels.filter((p) => p.panel.type !== "row");
  return { panels: visible.length, withData: visible.filter((p) => p.series.some((s) => s.points.some(([, v]) => v !== null))).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      prometheus: { type: "string", default: "http://127.0.0.1:9090" },
      from: { type: "string" },
      to: { type: "string" },
      out: { type: "string", default: "docs/images/grafana-dashboard.png" },
      dashboard: { type: "string" },
      "rate-interval": { type: "string", default: "30s" },
      width: { type: "string", default: "1800" },
      html: { type: "string" },
      chromium: { type: "string", default: "/usr/bin/chromium" },
    },
  });
  const to = values.to ? parseTime(values.to) : Date.now() / 1000;
  const from = values.from ? parseTime(values.from) : to - 3600;
  const result = await renderDashboard({
    prometheusUrl: values.prometheus,
    from,
    to,
    out: values.out,
    ...(values.dashboard ? { dashboardPath: values.dashboard } : {}),
    rateInterval: values["rate-interval"],
    width: Number(values.width),
    ...(values.html ? { htmlOut: values.html } : {}),
    chromiumPath: values.chromium,
  });
  process.stderr.write(`wrote ${values.out}: ${result.withData} of ${result.panels} panels have data\n`);
}
