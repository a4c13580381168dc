import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";

async function read(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch(() => undefined);
}

/**
 * The repository's own test command, guessed from its files: package.json's test script, pytest, go test,
 * cargo test, make test. Returns the command and the file that gave it away.
 */
export async function detectTestCommand(worktree: string): Promise<{ command: string; evidence: string } | undefined> {
  const pkg = await read(join(worktree, "package.json"));
  if (pkg) {
    try {
      const script = (JSON.parse(pkg) as { scripts?: Record<string, string> }).scripts?.test;
      // npm init's placeholder fails on purpose; it is not a test suite.
      if (script && !/no test specified/.test(script)) return { command: "npm test", evidence: "package.json scripts.test" };
    } catch {
      // An unreadable package.json is not evidence of anything; try the other ecosystems.
    }
  }
  const entries = new Set(await readdir(worktree).catch(() => [] as string[]));
  const pyproject = entries.has("pyproject.toml") ? await read(join(worktree, "pyproject.toml")) : undefined;
  if (entries.has("pytest.ini") || entries.has("conftest.py") || pyproject?.includes("[tool.pytest") || (entries.has("tests") && (entries.has("setup.py") || pyproject))) {
    return { command: "python3 -m pytest -rA", evidence: entries.has("pytest.ini") ? "pytest.ini" : "pyproject.toml / conftest.py" };
  }
  if (entries.has("go.mod")) return { command: "go test ./...", evidence: "go.mod" };
  if (entries.has("Cargo.toml")) return { command: "cargo test", evidence: "Cargo.toml" };
  const makefile = entries.has("Makefile") ? await read(join(worktree, "Makefile")) : undefined;
  if (makefile && /^test\s*:/m.test(makefile)) return { command: "make test", evidence: "Makefile test target" };
  return undefined;
}
