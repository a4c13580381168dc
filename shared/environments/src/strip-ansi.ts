// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and lone escapes.
// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Removes terminal escape sequences; test runners colour their output even with NO_COLOR now and then. */
export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, "");
}
