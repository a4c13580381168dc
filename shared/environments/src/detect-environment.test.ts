import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectEnvironment } from "./detect-environment";

const dirs: string[] = [];
async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "fixline-detect-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const pkg = (test?: string) => JSON.stringify({ name: "x", scripts: test ? { test } : {} });

describe("detectEnvironment", () => {
  it("pnpm-lock.yaml → pnpm install --frozen-lockfile and pnpm test", async () => {
    const env = await detectEnvironment(await repoWith({ "package.json": pkg("vitest run"), "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" }));
    expect(env).toMatchObject({ kind: "node-pnpm", toolchain: "node", setup: ["pnpm install --frozen-lockfile"], testCommand: "pnpm test", lockfile: "pnpm-lock.yaml" });
    expect(env.evidence.join("\n")).toContain("pnpm-lock.yaml");
  });

  it("package-lock.json → npm ci and npm test", async () => {
    const env = await detectEnvironment(await repoWith({ "package.json": pkg("node --test"), "package-lock.json": "{}" }));
    expect(env).toMatchObject({ kind: "node-npm", setup: ["npm ci"], testCommand: "npm test", lockfile: "package-lock.json" });
  });

  it("yarn.lock → yarn classic or berry flags", async () => {
    expect((await detectEnvironment(await repoWith({ "package.json": pkg("jest"), "yarn.lock": "" }))).setup).toEqual(["yarn install --frozen-lockfile"]);
    const berry = await detectEnvironment(await repoWith({ "package.json": pkg("jest"), "yarn.lock": "", ".yarnrc.yml": "nodeLinker: node-modules\n" }));
    expect(berry).toMatchObject({ kind: "node-yarn", setup: ["yarn install --immutable"], testCommand: "yarn test" });
  });

  it("npm's placeholder test script is not a test command", async () => {
    const env = await detectEnvironment(await repoWith({ "package.json": pkg('echo "Error: no test specified" && exit 1'), "package-lock.json": "{}" }));
    expect(env.testCommand).toBeUndefined();
  });

  it("requirements.txt → a virtualenv, pip install -r, pytest when declared", async () => {
    const env = await detectEnvironment(await repoWith({ "requirements.txt": "pytest>=7\nrequests\n" }));
    expect(env.kind).toBe("python-requirements");
    expect(env.setup).toEqual(["python3 -m venv --system-site-packages .venv", "python -m pip install -r requirements.txt"]);
    expect(env.testCommand).toBe("python -m pytest -v");
  });

  it("requirements without pytest → unittest", async () => {
    const env = await detectEnvironment(await repoWith({ "requirements.txt": "requests\n" }));
    expect(env.testCommand).toBe("python -m unittest discover -v");
  });

  it("pyproject.toml with a [project] table → editable install", async () => {
    const env = await detectEnvironment(await repoWith({ "pyproject.toml": '[project]\nname = "calc"\n[project.optional-dependencies]\ntest = ["pytest"]\n' }));
    expect(env).toMatchObject({ kind: "python-pyproject", toolchain: "python", testCommand: "python -m pytest -v", lockfile: "pyproject.toml" });
    expect(env.setup).toEqual(["python3 -m venv --system-site-packages .venv", "python -m pip install -e ."]);
  });

  it("go.mod → go mod download and go test ./...", async () => {
    const env = await detectEnvironment(await repoWith({ "go.mod": "module example.com/x\n\ngo 1.22\n", "go.sum": "" }));
    expect(env).toMatchObject({ kind: "go", toolchain: "go", setup: ["go mod download"], testCommand: "go test -v ./...", lockfile: "go.sum" });
  });

  it("Cargo.toml → cargo fetch (locked when Cargo.lock exists) and cargo test", async () => {
    const env = await detectEnvironment(await repoWith({ "Cargo.toml": "[package]\nname = \"x\"\n", "Cargo.lock": "" }));
    expect(env).toMatchObject({ kind: "rust", setup: ["cargo fetch --locked"], testCommand: "cargo test" });
  });

  it("composer.json → composer install and phpunit from require-dev", async () => {
    const env = await detectEnvironment(await repoWith({ "composer.json": JSON.stringify({ "require-dev": { "phpunit/phpunit": "^11" } }) }));
    expect(env).toMatchObject({ kind: "php", toolchain: "php", setup: ["composer install --no-interaction --no-progress --prefer-dist"], testCommand: "vendor/bin/phpunit" });
    const scripted = await detectEnvironment(await repoWith({ "composer.json": JSON.stringify({ scripts: { test: "phpunit" } }) }));
    expect(scripted.testCommand).toBe("composer test");
  });

  it("pom.xml → maven", async () => {
    expect(await detectEnvironment(await repoWith({ "pom.xml": "<project/>" }))).toMatchObject({ kind: "java-maven", toolchain: "java", testCommand: "mvn -B test" });
  });

  it("a Makefile test target is the last resort; a variable named test is not a target", async () => {
    expect(await detectEnvironment(await repoWith({ Makefile: "build:\n\tcc x.c\ntest: build\n\t./run-tests\n" }))).toMatchObject({ kind: "make", testCommand: "make test", setup: [] });
    expect((await detectEnvironment(await repoWith({ Makefile: "test := 1\n" }))).kind).toBe("unknown");
  });

  it("nothing recognised → unknown, no commands, and evidence that says what was looked for", async () => {
    const env = await detectEnvironment(await repoWith({ "README.md": "hi" }));
    expect(env).toMatchObject({ kind: "unknown", setup: [], testCommand: undefined });
    expect(env.evidence[0]).toContain("go.mod");
  });

  it("a Node lockfile wins over Python files in the same repository", async () => {
    const env = await detectEnvironment(await repoWith({ "package.json": pkg("vitest"), "package-lock.json": "{}", "requirements.txt": "pytest\n" }));
    expect(env.kind).toBe("node-npm");
  });
});
