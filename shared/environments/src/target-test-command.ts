import { narrowTestCommand, shellQuote } from "./narrow-test-command";

/** A test to run again: its name as the runner prints it and, when the runner printed it, its file. */
export interface TestTarget {
  name: string;
  file?: string | undefined;
}

export interface TargetRequest {
  /** Test files to run (relative to the worktree). */
  files?: readonly string[];
  /** Tests to run, by name (and file when known). */
  tests?: readonly TestTarget[];
  /** package.json's scripts (from the base commit): `npm test` is narrowed through its script. */
  packageScripts?: Readonly<Record<string, string>> | undefined;
}

export interface TargetedCommand {
  command: string;
  /** What the command was narrowed to ("1 file", "2 files, 3 tests"), or undefined when it runs whole. */
  targeted: string | undefined;
}

export type TestRunner = "node" | "vitest" | "jest" | "pytest" | "go" | "cargo" | "phpunit";

// Words that may stand before the runner: variable assignments and package-runner launchers.
const launcher = /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*|npx|bunx|pnpm|exec|yarn|dlx|uv|poetry|run|python[0-9.]*|-m)$/;
// Anything a shell would interpret makes the command opaque: it runs whole.
const shellSyntax = /[;&|<>`$(){}*?"'\\\n]/;

// Flags whose value is the next word (`--import tsx`, `--reporter verbose`): that word is not a path.
const valueFlags = new Set([
  "--import", "--require", "-r", "--loader", "--experimental-loader", "--test-reporter", "--test-reporter-destination", "--test-concurrency", "--test-timeout",
  "--reporter", "--config", "-c", "--project", "--pool", "--environment", "--reporters", "--tb", "-p", "--rootdir", "-o", "--log-level",
]);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A path the harness can pass to a runner: relative, inside the worktree, not a flag. */
function safePath(file: string): boolean {
  return file !== "" && !file.startsWith("/") && !file.startsWith("-") && !file.split("/").includes("..") && !file.includes("\n");
}

/**
 * Which runner a test command is, when it is one plain invocation whose arguments are all flags (so adding
 * file arguments narrows it instead of adding to paths it already names). undefined: run it whole.
 */
export function plainRunner(command: string): TestRunner | undefined {
  if (shellSyntax.test(command)) return undefined;
  const tokens = command.trim().split(/\s+/);
  let i = 0;
  while (i < tokens.length && launcher.test(tokens[i]!)) i++;
  const head = tokens[i]?.replace(/^.*\//, "");
  let runner: TestRunner | undefined;
  let rest = tokens.slice(i + 1);
  if (head === "node" && rest.includes("--test")) runner = "node";
  else if (head === "vitest") {
    runner = "vitest";
    if (rest[0] === "run") rest = rest.slice(1);
  } else if (head === "jest") runner = "jest";
  else if (head === "pytest") runner = "pytest";
  else if (head === "phpunit") runner = "phpunit";
  else if (head === "go" && rest[0] === "test") {
    // go test names packages, not files: only `go test [flags] ./...` can be narrowed to the files' packages.
    rest = rest.slice(1);
    if (rest.at(-1) !== "./...") return undefined;
    rest = rest.slice(0, -1);
    runner = "go";
  } else if (head === "cargo" && rest[0] === "test") {
    rest = rest.slice(1);
    runner = "cargo";
  }
  if (!runner) return undefined;
  // A positional argument (a path, a filter) or a flag value we cannot tell from one: not ours to narrow.
  for (let j = 0; j < rest.length; j++) {
    const token = rest[j]!;
    if (token === "--" || !token.startsWith("-")) return undefined;
    if (valueFlags.has(token)) j++;
  }
  return runner;
}

/** The file arguments for a runner, or undefined when it cannot select these files. */
function fileArguments(runner: TestRunner, files: readonly string[]): string[] | undefined {
  switch (runner) {
    case "node":
    case "vitest":
    case "jest":
    case "pytest":
      return files.map(shellQuote);
    case "phpunit":
      return files.length === 1 ? [shellQuote(files[0]!)] : undefined;
    case "go": {
      const dirs = [...new Set(files.map((f) => (f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : ".")))];
      return dirs.map((d) => shellQuote(d === "." ? "." : `./${d}`));
    }
    case "cargo": {
      // Integration tests (tests/<name>.rs) are selectable; unit tests inside src/ are not.
      const names = files.map((f) => /^tests\/([\w-]+)\.rs$/.exec(f)?.[1]);
      if (names.some((n) => n === undefined)) return undefined;
      return names.flatMap((n) => ["--test", shellQuote(n!)]);
    }
  }
}

/**
 * Narrows the repository's test command to some files and/or tests with the runner's own selection (file
 * arguments, pytest node ids, -t / --test-name-pattern / -run), for runners Fixline knows and commands that
 * are one plain invocation. Anything else runs whole: running more tests is safe, a wrong selection is not.
 * Callers still check that every targeted test is in the result (a name pattern can miss) and fall back to
 * a whole run when one is not.
 */
export function targetTestCommand(command: string, request: TargetRequest): TargetedCommand {
  // `npm test` runs package.json's test script; `npm test -- <args>` appends to it, so a plain script narrows.
  const script = /^npm (?:run )?test$/.test(command.trim()) ? request.packageScripts?.test : undefined;
  if (script !== undefined) {
    const inner = targetDirect(script, request);
    if (inner.targeted === undefined || !inner.command.startsWith(`${script} `)) return { command, targeted: undefined };
    return { command: `${command.trim()} -- ${inner.command.slice(script.length + 1)}`, targeted: inner.targeted };
  }
  return targetDirect(command, request);
}

function targetDirect(command: string, request: TargetRequest): TargetedCommand {
  const files = [...new Set((request.files ?? []).filter(safePath))];
  const tests = request.tests ?? [];
  if (files.length === 0 && tests.length === 0) return { command, targeted: undefined };
  if ((request.files ?? []).length !== files.length) return { command, targeted: undefined };
  const runner = plainRunner(command);
  if (!runner) return { command, targeted: undefined };

  if (runner === "pytest") {
    // pytest's node ids select files and tests exactly: `tests/test_x.py::test_y`.
    if (tests.some((t) => !t.file || !safePath(t.file))) return { command, targeted: undefined };
    const ids = [...new Set([...files, ...tests.map((t) => `${t.file}::${t.name}`)])];
    const label = [files.length > 0 ? plural(files.length, "file") : "", tests.length > 0 ? plural(tests.length, "test") : ""].filter(Boolean).join(", ");
    return { command: `${command} ${ids.map(shellQuote).join(" ")}`, targeted: label };
  }

  // Files: the given ones, plus the files of named tests when the runner printed them (vitest).
  const testFiles = tests.every((t) => t.file && safePath(t.file)) ? tests.map((t) => t.file!) : [];
  const allFiles = [...new Set([...files, ...testFiles])];
  let narrowed = command;
  const labels: string[] = [];
  if (tests.length === 0 || testFiles.length > 0) {
    const args = fileArguments(runner, allFiles);
    if (args) {
      // go: the files' packages replace `./...`; every other runner takes the files after its flags.
      narrowed = runner === "go" ? `${command.trim().replace(/\s+\.\/\.\.\.$/, "")} ${args.join(" ")}` : `${command} ${args.join(" ")}`;
      labels.push(plural(allFiles.length, "file"));
    } else if (tests.length === 0) return { command, targeted: undefined };
  }
  if (tests.length > 0) {
    // go matches -run per level of a subtest path: the top-level test selects its subtests too.
    const names = [...new Set(tests.map((t) => (runner === "go" ? t.name.split("/")[0]! : t.name.split(" > ").at(-1)!)))];
    const byName = narrowTestCommand(narrowed, names);
    if (byName.narrowed) {
      narrowed = byName.command;
      labels.push(plural(tests.length, "test"));
    } else if (labels.length === 0) return { command, targeted: undefined };
  }
  return { command: narrowed, targeted: labels.join(", ") };
}
