import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * Sets variables in a `.env` file: an existing `NAME=` line is replaced in place (comments and other lines
 * stay), a new one is appended. The file is left readable by its owner only: it holds secrets. Values must be
 * one line (a PEM goes to a file and `<NAME>_FILE`), which is checked so the file can never be corrupted.
 */
export function updateDotEnv(path: string, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`not a variable name: ${name}`);
    if (/[\r\n]/.test(value)) throw new Error(`${name}: a .env value must be one line`);
  }
  const lines = existsSync(path) ? readFileSync(path, "utf8").split("\n") : [];
  if (lines.at(-1) === "") lines.pop();
  const pending = new Map(Object.entries(values));
  const updated = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (!name || !pending.has(name)) return line;
    const value = pending.get(name)!;
    pending.delete(name);
    return `${name}=${value}`;
  });
  for (const [name, value] of pending) updated.push(`${name}=${value}`);
  writeFileSync(path, `${updated.join("\n")}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
