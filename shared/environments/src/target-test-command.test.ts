import { describe, expect, it } from "vitest";
import { plainRunner, targetTestCommand } from "./target-test-command";

describe("targetTestCommand", () => {
  it("narrows plain runner invocations to files with the runner's own arguments", () => {
    expect(targetTestCommand("node --test --test-reporter=tap", { files: ["test/a.test.js"] })).toEqual({ command: "node --test --test-reporter=tap 'test/a.test.js'", targeted: "1 file" });
    expect(targetTestCommand("npx vitest run", { files: ["src/a.test.ts", "src/b.test.ts"] })).toEqual({ command: "npx vitest run 'src/a.test.ts' 'src/b.test.ts'", targeted: "2 files" });
    expect(targetTestCommand("python -m pytest -q", { files: ["tests/test_x.py"] }).command).toBe("python -m pytest -q 'tests/test_x.py'");
    expect(targetTestCommand("go test -v ./...", { files: ["pkg/money/format_test.go", "pkg/money/parse_test.go"] }).command).toBe("go test -v './pkg/money'");
    expect(targetTestCommand("cargo test", { files: ["tests/price.rs"] }).command).toBe("cargo test --test 'price'");
    expect(targetTestCommand("vendor/bin/phpunit", { files: ["tests/PriceTest.php"] }).command).toBe("vendor/bin/phpunit 'tests/PriceTest.php'");
    expect(targetTestCommand("node --import tsx --test", { files: ["test/a.test.ts"] }).targeted).toBe("1 file");
  });

  it("goes through npm test's script when the script is a plain runner", () => {
    const packageScripts = { test: "node --test --test-reporter=tap" };
    expect(targetTestCommand("npm test", { files: ["test/price.test.js"], packageScripts })).toEqual({ command: "npm test -- 'test/price.test.js'", targeted: "1 file" });
    expect(targetTestCommand("npm test", { files: ["test/price.test.js"], packageScripts: { test: "node --test test/" } }).targeted).toBeUndefined();
    expect(targetTestCommand("npm test", { files: ["test/price.test.js"] }).targeted).toBeUndefined();
  });

  it("runs whole what it cannot narrow safely: named paths, shell syntax, unknown runners, unselectable files", () => {
    for (const command of ["node --test test/", "vitest run src", "pytest tests/", "make test", "npm test && echo", "node --test $(ls test)", "go test ./pkg/...", "cargo test -- --nocapture", "jest --verbose src"]) {
      expect(targetTestCommand(command, { files: ["test/a.test.js"] }), command).toEqual({ command, targeted: undefined });
    }
    expect(targetTestCommand("cargo test", { files: ["src/lib.rs"] }).targeted).toBeUndefined();
    expect(targetTestCommand("vendor/bin/phpunit", { files: ["tests/ATest.php", "tests/BTest.php"] }).targeted).toBeUndefined();
  });

  it("never passes a path an attacker could turn into a flag or a shell word", () => {
    // A red test file named like a flag, outside the worktree, or with shell syntax: the whole suite runs instead.
    for (const file of ["--require=/tmp/evil.js", "/etc/passwd", "../outside.test.js"]) {
      expect(targetTestCommand("node --test", { files: [file] }).targeted, file).toBeUndefined();
    }
    const quoted = targetTestCommand("node --test", { files: ["test/a'; touch pwned; '.test.js"] });
    expect(quoted.command).toBe(`node --test 'test/a'\\''; touch pwned; '\\''.test.js'`);
  });

  it("selects tests by name, with their files where the runner prints them", () => {
    expect(targetTestCommand("node --test", { tests: [{ name: "pads cents" }] })).toEqual({ command: "node --test --test-name-pattern='pads cents'", targeted: "1 test" });
    expect(targetTestCommand("vitest run", { tests: [{ name: "price > pads cents", file: "src/price.test.ts" }] })).toEqual({ command: "vitest run 'src/price.test.ts' -t 'pads cents'", targeted: "1 file, 1 test" });
    expect(targetTestCommand("pytest -q", { tests: [{ name: "test_pads[1]", file: "tests/test_price.py" }] }).command).toBe("pytest -q 'tests/test_price.py::test_pads[1]'");
    expect(targetTestCommand("go test ./...", { tests: [{ name: "TestPrice/pads" }, { name: "TestPrice/rounds" }] }).command).toBe("go test ./... -run '^(TestPrice)$'");
    expect(targetTestCommand("make test", { tests: [{ name: "x" }] }).targeted).toBeUndefined();
  });

  it("knows which commands are plain runner invocations", () => {
    expect(plainRunner("CI=1 pnpm exec vitest run --reporter verbose")).toBe("vitest");
    expect(plainRunner("uv run pytest -x")).toBe("pytest");
    expect(plainRunner("node test.js")).toBeUndefined();
  });
});
