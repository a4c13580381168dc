/** ANSI styling, or none when the output is not a terminal (pipes, CI logs, NO_COLOR). */
export interface TerminalStyle {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
}

export function terminalStyle(enabled: boolean): TerminalStyle {
  const wrap = (open: number, close: number) => (text: string) => (enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    magenta: wrap(35, 39),
    cyan: wrap(36, 39),
  };
}

/** State colours matching the dashboard's badges. */
export function colorState(style: TerminalStyle, state: string): string {
  switch (state) {
    case "planning":
      return style.blue(state);
    case "awaiting_approval":
    case "waiting_budget":
      return style.yellow(state);
    case "approved":
      return style.cyan(state);
    case "executing":
      return style.magenta(state);
    case "completed":
      return style.green(state);
    case "failed":
      return style.red(state);
    case "rejected":
      return style.red(state);
    default:
      return style.dim(state);
  }
}
