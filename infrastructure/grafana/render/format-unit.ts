/** Grafana-like value formatting for the units the Fixline dashboard uses. */
export function formatValue(value: number, unit: string | undefined, decimals?: number): string {
  const fixed = (n: number, d: number) => n.toFixed(decimals ?? d);
  switch (unit) {
    case "percentunit":
      return `${fixed(value * 100, 1)}%`;
    case "percent":
      return `${fixed(value, 1)}%`;
    case "currencyUSD":
      return `$${fixed(value, Math.abs(value) < 1 ? 3 : 2)}`;
    case "s":
      if (Math.abs(value) < 1) return `${fixed(value * 1000, 0)} ms`;
      if (Math.abs(value) < 60) return `${fixed(value, 2)} s`;
      return `${fixed(value / 60, 1)} min`;
    case "ms":
      return `${fixed(value, 0)} ms`;
    case "ops":
      return `${short(value)} ops/s`;
    case "reqps":
      return `${short(value)} req/s`;
    case "bytes":
      return value >= 2 ** 20 ? `${fixed(value / 2 ** 20, 1)} MiB` : `${fixed(value / 1024, 1)} KiB`;
    default:
      return short(value, decimals);
  }
}

function short(value: number, decimals?: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(decimals ?? 1)} M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(decimals ?? 1)} K`;
  if (decimals !== undefined) return value.toFixed(decimals);
  if (abs === 0 || abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}
