/** `$0.42`; small amounts keep a cent's precision rather than rounding to $0.00. */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(amount > 0 && amount < 0.01 ? 4 : 2)}`;
}

/** `45.2 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `12,345`. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}
