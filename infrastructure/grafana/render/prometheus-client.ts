/** One series of a range query: its labels and [unix seconds, value] points (NaN/Inf kept as null). */
export interface Series {
  labels: Record<string, string>;
  points: Array<[number, number | null]>;
}

interface PromResponse {
  status: "success" | "error";
  error?: string;
  data?: { resultType: "matrix" | "vector"; result: Array<{ metric: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }> };
}

function toNumber(text: string): number | null {
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Prometheus's HTTP API, as Grafana's data source calls it for a panel. */
export function createPrometheusClient(baseUrl: string) {
  async function call(path: string, params: Record<string, string>): Promise<PromResponse["data"]> {
    const url = new URL(path, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
    const res = await fetch(url, { method: "POST", body: new URLSearchParams(params) });
    const body = (await res.json()) as PromResponse;
    if (body.status !== "success") throw new Error(`${params.query}: ${body.error ?? res.status}`);
    return body.data;
  }
  return {
    async queryRange(query: string, start: number, end: number, step: number): Promise<Series[]> {
      const data = await call("api/v1/query_range", { query, start: String(start), end: String(end), step: String(step) });
      return (data?.result ?? []).map((r) => ({ labels: r.metric, points: (r.values ?? []).map(([t, v]) => [t, toNumber(v)] as [number, number | null]) }));
    },
    async queryInstant(query: string, time: number): Promise<Series[]> {
      const data = await call("api/v1/query", { query, time: String(time) });
      return (data?.result ?? []).map((r) => ({ labels: r.metric, points: r.value ? [[r.value[0], toNumber(r.value[1])]] : [] }));
    },
  };
}

export type PrometheusClient = ReturnType<typeof createPrometheusClient>;
