import type { Dashboard, Panel, Threshold } from "./dashboard-model";
import { hasData, reduce, type EvaluatedPanel, type EvaluatedSeries, type TimeRange } from "./evaluate-panels";
import { formatValue } from "./format-unit";

/** Grafana's classic palette, in its order. */
const palette = ["#7EB26D", "#EAB839", "#6ED0E0", "#EF843C", "#E24D42", "#1F78C1", "#BA43A9", "#705DA0", "#508642", "#CCA300", "#447EBC", "#C15C17", "#890F02", "#0A437C", "#6D1F62", "#584477"];
const namedColors: Record<string, string> = { green: "#73BF69", red: "#F2495C", orange: "#FF9830", yellow: "#FADE2A", blue: "#5794F2", purple: "#B877D9" };

export interface Layout {
  /** Page width in CSS pixels. */
  width: number;
  /** Pixels per gridPos height unit (Grafana: 30 px plus an 8 px gap). */
  rowHeight: number;
  gap: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

function thresholdColor(value: number, steps: Threshold[] | undefined): string {
  let color = "#CCCCDC";
  for (const step of steps ?? []) if (step.value === null || value >= step.value) color = namedColors[step.color] ?? step.color;
  return color;
}

function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  return (residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1) * magnitude;
}

function timeLabel(seconds: number, withSeconds: boolean): string {
  const iso = new Date(seconds * 1000).toISOString();
  return withSeconds ? iso.slice(11, 19) : iso.slice(11, 16);
}

const timeSteps = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/** A line chart in Grafana's dark style: y grid with unit labels, UTC time axis, lines broken at gaps. */
function timeseriesSvg(series: EvaluatedSeries[], range: TimeRange, unit: string | undefined, width: number, height: number, fillOpacity: number): string {
  const left = 64;
  const right = 10;
  const top = 8;
  const bottom = 22;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const values = series.flatMap((s) => s.points.map(([, v]) => v)).filter((v): v is number => v !== null);
  let min = Math.min(0, ...values);
  let max = Math.max(...values);
  if (!Number.isFinite(max) || max === min) max = min + (max === 0 || !Number.isFinite(max) ? 1 : Math.abs(max));
  const yStep = niceStep(max - min, 4);
  min = Math.floor(min / yStep) * yStep;
  max = Math.ceil(max / yStep) * yStep;
  const x = (t: number) => left + ((t - range.from) / (range.to - range.from)) * plotW;
  const y = (v: number) => top + plotH - ((v - min) / (max - min)) * plotH;
  const parts: string[] = [];
  for (let v = min; v <= max + yStep / 2; v += yStep) {
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#2c3235" />`);
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" class="axis">${escapeHtml(formatValue(v, unit))}</text>`);
  }
  const span = range.to - range.from;
  const tStep = timeSteps.find((s) => span / s <= Math.max(3, Math.floor(plotW / 90))) ?? 86400;
  for (let t = Math.ceil(range.from / tStep) * tStep; t <= range.to; t += tStep) {
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${top + plotH}" stroke="#2c3235" />`);
    // Labels at the edges are anchored inwards so they are not cut off.
    const anchor = x(t) > width - 30 ? "end" : x(t) < left + 24 ? "start" : "middle";
    parts.push(`<text x="${x(t)}" y="${height - 6}" text-anchor="${anchor}" class="axis">${timeLabel(t, tStep < 60)}</text>`);
  }
  series.forEach((s, i) => {
    const color = palette[i % palette.length] as string;
    const segments: Array<Array<[number, number]>> = [];
    let current: Array<[number, number]> = [];
    for (const [t, v] of s.points) {
      if (v === null) {
        if (current.length > 0) segments.push(current);
        current = [];
      } else current.push([x(t), y(v)]);
    }
    if (current.length > 0) segments.push(current);
    for (const segment of segments) {
      if (segment.length === 1) {
        const [px, py] = segment[0] as [number, number];
        parts.push(`<circle cx="${px}" cy="${py}" r="2" fill="${color}" />`);
        continue;
      }
      const d = segment.map(([px, py], j) => `${j === 0 ? "M" : "L"}${px.toFixed(1)},${py.toFixed(1)}`).join(" ");
      if (fillOpacity > 0) {
        const base = y(Math.max(min, 0));
        const first = segment[0] as [number, number];
        const last = segment[segment.length - 1] as [number, number];
        parts.push(`<path d="${d} L${last[0].toFixed(1)},${base} L${first[0].toFixed(1)},${base} Z" fill="${color}" fill-opacity="${fillOpacity / 100}" stroke="none" />`);
      }
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5" />`);
    }
  });
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
}

function legendHtml(series: EvaluatedSeries[], panel: Panel, maxRows: number): string {
  const unit = panel.fieldConfig?.defaults?.unit;
  const legend = panel.options?.legend;
  if (legend?.showLegend === false) return "";
  const calcs = legend?.displayMode === "table" ? (legend.calcs ?? []) : [];
  const calcTitle: Record<string, string> = { lastNotNull: "Last *", last: "Last", max: "Max", min: "Min", mean: "Mean", sum: "Total" };
  const shown = series.slice(0, maxRows);
  const rows = shown
    .map((s, i) => {
      const cells = calcs.map((c) => {
        const v = reduce(s.points, c);
        return `<td class="num">${v === null ? "–" : escapeHtml(formatValue(v, unit))}</td>`;
      });
      return `<tr><td><span class="swatch" style="background:${palette[i % palette.length]}"></span>${escapeHtml(s.name || "value")}</td>${cells.join("")}</tr>`;
    })
    .join("");
  const more = series.length > shown.length ? `<tr><td class="more">+ ${series.length - shown.length} more series</td></tr>` : "";
  const head = calcs.length > 0 ? `<tr><th>Name</th>${calcs.map((c) => `<th class="num">${calcTitle[c] ?? c}</th>`).join("")}</tr>` : "";
  return `<table class="legend">${head}${rows}${more}</table>`;
}

function sparkline(points: Array<[number, number | null]>, range: TimeRange, width: number, height: number, color: string): string {
  const values = points.filter((p): p is [number, number] => p[1] !== null);
  if (values.length < 2) return "";
  const min = Math.min(...values.map(([, v]) => v));
  const max = Math.max(...values.map(([, v]) => v));
  const span = max - min || 1;
  const x = (t: number) => ((t - range.from) / (range.to - range.from)) * width;
  const y = (v: number) => height - 4 - ((v - min) / span) * (height - 8);
  const d = values.map(([t, v], j) => `${j === 0 ? "M" : "L"}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const first = values[0] as [number, number];
  const last = values[values.length - 1] as [number, number];
  return `<svg class="spark" width="${width}" height="${height}"><path d="${d} L${x(last[0])},${height} L${x(first[0])},${height} Z" fill="${color}" fill-opacity="0.18" /><path d="${d}" fill="none" stroke="${color}" stroke-width="1.5" /></svg>`;
}

function statBody(evaluated: EvaluatedPanel, range: TimeRange, width: number, height: number): string {
  const { panel } = evaluated;
  const defaults = panel.fieldConfig?.defaults;
  const calc = panel.options?.reduceOptions?.calcs?.[0] ?? "lastNotNull";
  const items = evaluated.series.map((s) => ({ s, value: reduce(s.points, calc) })).filter((i) => i.value !== null) as Array<{ s: EvaluatedSeries; value: number }>;
  const cellW = width / Math.max(1, items.length);
  return `<div class="stat">${items
    .map(({ s, value }) => {
      const color = thresholdColor(value, defaults?.thresholds?.steps);
      const spark = panel.options?.graphMode === "none" ? "" : sparkline(s.points, range, cellW, height * 0.45, color);
      return `<div class="stat-item" style="width:${cellW}px">${spark}<div class="stat-value" style="color:${color};font-size:${Math.min(56, height * 0.32)}px">${escapeHtml(formatValue(value, defaults?.unit, defaults?.decimals))}</div>${items.length > 1 ? `<div class="stat-name">${escapeHtml(s.name)}</div>` : ""}</div>`;
    })
    .join("")}</div>`;
}

/** Bar gauges and tables, simply: one bar (or row) per series with its last value. */
function barsBody(evaluated: EvaluatedPanel): string {
  const unit = evaluated.panel.fieldConfig?.defaults?.unit;
  const items = evaluated.series.map((s) => ({ name: s.name, value: reduce(s.points, "lastNotNull") })).filter((i): i is { name: string; value: number } => i.value !== null);
  const max = Math.max(...items.map((i) => i.value), 1e-9);
  return `<table class="bars">${items
    .map((i, n) => `<tr><td>${escapeHtml(i.name)}</td><td class="bar-cell"><div class="bar" style="width:${Math.max(1, (i.value / max) * 100)}%;background:${palette[n % palette.length]}"></div></td><td class="num">${escapeHtml(formatValue(i.value, unit))}</td></tr>`)
    .join("")}</table>`;
}

function panelHtml(evaluated: EvaluatedPanel, range: TimeRange, layout: Layout): string {
  const { panel } = evaluated;
  const col = (layout.width - layout.gap) / 24;
  const left = panel.gridPos.x * col + layout.gap;
  const top = panel.gridPos.y * layout.rowHeight + layout.gap;
  const width = panel.gridPos.w * col - layout.gap;
  const height = panel.gridPos.h * layout.rowHeight - layout.gap;
  const style = `left:${left}px;top:${top}px;width:${width}px;height:${height}px`;
  if (panel.type === "row") return `<div class="row" style="${style}">${escapeHtml(panel.title)}</div>`;
  const bodyW = width - 16;
  const bodyH = height - 36;
  let body: string;
  if (evaluated.errors.length > 0 && !hasData(evaluated)) body = `<div class="nodata error">query error: ${escapeHtml(evaluated.errors[0] ?? "")}</div>`;
  else if (!hasData(evaluated)) body = `<div class="nodata">No data</div>`;
  else if (panel.type === "stat") body = statBody(evaluated, range, bodyW, bodyH);
  else if (panel.type === "timeseries" || panel.type === "graph") {
    const withData = evaluated.series.filter((s) => s.points.some(([, v]) => v !== null));
    const legendRows = Math.min(withData.length, Math.max(1, Math.floor((bodyH * 0.42) / 19) - 1));
    const legendH = panel.options?.legend?.showLegend === false ? 0 : (legendRows + (panel.options?.legend?.displayMode === "table" ? 1 : 0) + (withData.length > legendRows ? 1 : 0)) * 19 + 4;
    const unit = panel.fieldConfig?.defaults?.unit;
    const fill = (panel.fieldConfig?.defaults as { custom?: { fillOpacity?: number } } | undefined)?.custom?.fillOpacity ?? 0;
    body = timeseriesSvg(withData, range, unit, bodyW, bodyH - legendH, fill) + legendHtml(withData, panel, legendRows);
  } else body = barsBody(evaluated);
  return `<div class="panel" style="${style}"><div class="title">${escapeHtml(panel.title)}</div><div class="body">${body}</div></div>`;
}

export function dashboardHtml(dashboard: Dashboard, panels: EvaluatedPanel[], range: TimeRange, layout: Layout, note: string): string {
  const bottom = Math.max(...panels.map((p) => (p.panel.gridPos.y + p.panel.gridPos.h) * layout.rowHeight)) + layout.gap;
  const from = new Date(range.from * 1000).toISOString().replace("T", " ").slice(0, 19);
  const to = new Date(range.to * 1000).toISOString().replace("T", " ").slice(11, 19);
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  * { box-sizing: border-box; }
  body { margin: 0; background: #111217; color: #CCCCDC; font: 13px/1.35 Inter, "Helvetica Neue", Arial, sans-serif; width: ${layout.width}px; }
  header { display: flex; justify-content: space-between; align-items: baseline; padding: 14px ${layout.gap}px 6px; }
  header h1 { font-size: 20px; font-weight: 500; margin: 0; color: #D8D9DA; }
  header .range { color: #8E8E8E; font-size: 13px; }
  .note { color: #8E8E8E; font-size: 12px; padding: 0 ${layout.gap}px 4px; }
  .grid { position: relative; height: ${bottom}px; }
  .panel { position: absolute; background: #181B1F; border: 1px solid #2c3235; border-radius: 3px; overflow: hidden; }
  .panel .title { height: 30px; padding: 7px 10px; font-weight: 500; color: #D8D9DA; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .panel .body { position: absolute; top: 30px; left: 8px; right: 8px; bottom: 6px; overflow: hidden; }
  .row { position: absolute; font-size: 16px; font-weight: 500; color: #D8D9DA; padding-top: 6px; border-bottom: 1px solid #2c3235; }
  .axis { fill: #9FA7B3; font-size: 11px; }
  .nodata { display: flex; height: 100%; align-items: center; justify-content: center; color: #8E8E8E; font-size: 15px; }
  .nodata.error { color: #F2495C; font-size: 12px; padding: 8px; text-align: center; }
  table.legend { border-collapse: collapse; width: 100%; font-size: 11.5px; margin-top: 4px; }
  table.legend th { text-align: left; color: #6E9FFF; font-weight: 500; padding: 1px 6px; }
  table.legend td { padding: 1px 6px; white-space: nowrap; height: 18px; }
  .num { text-align: right; }
  .more { color: #8E8E8E; }
  .swatch { display: inline-block; width: 14px; height: 4px; border-radius: 2px; margin-right: 6px; vertical-align: middle; }
  .stat { display: flex; height: 100%; }
  .stat-item { position: relative; display: flex; flex-direction: column; align-items: center; justify-content: center; }
  .stat-value { font-weight: 500; position: relative; z-index: 1; text-shadow: 0 0 6px #181B1F; }
  .stat-name { color: #9FA7B3; position: relative; z-index: 1; }
  .spark { position: absolute; bottom: 0; left: 0; }
  table.bars { width: 100%; border-collapse: collapse; }
  table.bars td { padding: 3px 6px; }
  .bar-cell { width: 60%; }
  .bar { height: 14px; border-radius: 2px; }
</style></head><body>
<header><h1>${escapeHtml(dashboard.title)}</h1><span class="range">${from} to ${to} UTC</span></header>
<div class="note">${escapeHtml(note)}</div>
<div class="grid">${panels.map((p) => panelHtml(p, range, layout)).join("\n")}</div>
</body></html>`;
}
