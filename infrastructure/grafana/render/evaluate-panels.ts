import type { Panel } from "./dashboard-model";
import type { PrometheusClient, Series } from "./prometheus-client";

export interface EvaluatedSeries extends Series {
  name: string;
}

export interface EvaluatedPanel {
  panel: Panel;
  series: EvaluatedSeries[];
  errors: string[];
}

export interface TimeRange {
  /** Unix seconds. */
  from: number;
  to: number;
  /** Query resolution in seconds ($__interval). */
  step: number;
  /** What $__rate_interval stands for, e.g. "30s". */
  rateInterval: string;
}

/** Grafana's built-in variables, as its Prometheus data source substitutes them. */
export function substituteVariables(expr: string, range: TimeRange): string {
  const seconds = Math.max(1, Math.round(range.to - range.from));
  return expr
    .replaceAll("$__rate_interval", range.rateInterval)
    .replaceAll("${__rate_interval}", range.rateInterval)
    .replaceAll("$__interval_ms", String(range.step * 1000))
    .replaceAll("$__interval", `${range.step}s`)
    .replaceAll("${__interval}", `${range.step}s`)
    .replaceAll("$__range_s", String(seconds))
    .replaceAll("$__range", `${seconds}s`)
    .replaceAll("${__range}", `${seconds}s`);
}

/** `{{label}}` placeholders filled from the series' labels; the bare metric selector when there is no format. */
export function legendName(format: string | undefined, labels: Record<string, string>, expr: string): string {
  if (format && format !== "__auto") return format.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, key: string) => labels[key] ?? "");
  const { __name__: metric, ...rest } = labels;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}="${v}"`);
  return pairs.length > 0 || metric ? `${metric ?? ""}{${pairs.join(", ")}}` : expr;
}

export async function evaluatePanel(client: PrometheusClient, panel: Panel, range: TimeRange): Promise<EvaluatedPanel> {
  const series: EvaluatedSeries[] = [];
  const errors: string[] = [];
  for (const target of panel.targets ?? []) {
    if (!target.expr || target.hide) continue;
    const expr = substituteVariables(target.expr, range);
    try {
      const result = target.instant ? await client.queryInstant(expr, range.to) : await client.queryRange(expr, range.from, range.to, range.step);
      for (const s of result) series.push({ ...s, name: legendName(target.legendFormat, s.labels, expr) });
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  return { panel, series, errors };
}

/** Grafana's reducers used by stat panels and table legends. */
export function reduce(points: Array<[number, number | null]>, calc: string): number | null {
  const values = points.map(([, v]) => v).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  switch (calc) {
    case "max":
      return Math.max(...values);
    case "min":
      return Math.min(...values);
    case "mean":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "first":
    case "firstNotNull":
      return values[0] ?? null;
    default:
      return values[values.length - 1] ?? null;
  }
}

export function hasData(evaluated: EvaluatedPanel): boolean {
  return evaluated.series.some((s) => s.points.some(([, v]) => v !== null));
}
