import { Histogram } from "prom-client";
import { registry } from "../src/index";

export interface MetricSeries {
  /** The metric as defined in metrics.ts. */
  definedAs: string;
  /** Labels a query may use on this series. */
  labels: ReadonlySet<string>;
}

// Labels Prometheus attaches to every scraped series (the target's), allowed on any Fixline metric.
export const targetLabels = ["job", "instance"] as const;

/**
 * Resolves a series name used in PromQL to the metric that defines it: `ai_agent_x_total` directly, and a
 * histogram's `_bucket` (which adds `le`), `_sum` and `_count` series. Undefined when no metric defines it.
 */
export function lookUpSeries(series: string): MetricSeries | undefined {
  const withLabels = (name: string, extra: string[]): MetricSeries | undefined => {
    const metric = registry.getSingleMetric(name);
    if (!metric) return undefined;
    // prom-client keeps the declared label names on the metric but leaves them out of its typings.
    const declared = (metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
    return { definedAs: name, labels: new Set([...declared, ...extra, ...targetLabels]) };
  };
  const direct = withLabels(series, []);
  if (direct) return direct;
  const histogramSeries = /^(.+)_(bucket|sum|count)$/.exec(series);
  if (!histogramSeries?.[1]) return undefined;
  const base = histogramSeries[1];
  if (!(registry.getSingleMetric(base) instanceof Histogram)) return undefined;
  return withLabels(base, histogramSeries[2] === "bucket" ? ["le"] : []);
}
