import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * Reads a `.env` file into `env` the way the dotenv convention does: a variable already set (exported in the
 * shell, given by make or by a test) always wins, and a missing file is not an error. Returns the names it set,
 * so `config check` can say where a value came from. `make start` read no `.env` before issue 17.
 */
export function loadDotEnv(path: string | URL, env: NodeJS.ProcessEnv): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const loaded: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    loaded.push(name);
  }
  return loaded;
}
