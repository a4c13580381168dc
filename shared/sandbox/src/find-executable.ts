import { accessSync, constants, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

/** `command -v` without a shell: the absolute path `bin` resolves to on `pathEnv`, or undefined. */
export function findExecutable(bin: string, pathEnv: string | undefined, cwd = "/"): string | undefined {
  const candidates = bin.includes("/") ? [isAbsolute(bin) ? bin : resolve(cwd, bin)] : (pathEnv ?? "").split(":").filter(Boolean).map((dir) => join(dir, bin));
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
