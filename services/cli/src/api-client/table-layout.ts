// Colour codes take no columns; the pattern is built from a string so the escape byte stays readable.
const ansiCodes = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export const visibleLength = (text: string) => text.replace(ansiCodes, "").length;

/** Pads every column but the last to its widest cell (colour codes ignored); returns one string per row. */
export function padColumn(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => visibleLength(r[i] ?? ""))));
  return rows.map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(Math.max(0, widths[i]! - visibleLength(c))))).join("  ").trimEnd());
}

/** 42s, 5m, 3h, 2d. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 60) return `${Math.floor(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
