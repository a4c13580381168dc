import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/** Toolchain families; the image names in infrastructure/docker/images follow them. */
export type Toolchain = "node" | "python" | "go" | "rust" | "php" | "java" | "generic";

export interface DetectedEnvironment {
  /** What the manifests say the repository is, e.g. `node-npm`, `python-requirements`, `go`, `unknown`. */
  kind: string;
  toolchain: Toolchain;
  setup: string[];
  testCommand: string | undefined;
  /** One line per file that decided something: "package-lock.json → npm ci". Goes into PLAN.md's evidence. */
  evidence: string[];
  /** The lockfile whose content keys the dependency cache (relative to the worktree), if any. */
  lockfile: string | undefined;
}

/** Where the Python virtualenv lives, relative to the worktree (kept out of commits by runSetup). */
export const venvDir = ".venv";

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readText(path);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function scriptOf(manifest: Record<string, unknown> | undefined, name: string): string | undefined {
  const scripts = manifest?.scripts;
  if (typeof scripts !== "object" || scripts === null) return undefined;
  const script = (scripts as Record<string, unknown>)[name];
  // npm's placeholder test script fails on purpose; it is not a test suite.
  return typeof script === "string" && !script.includes("no test specified") ? script : undefined;
}

async function detectNode(worktree: string): Promise<DetectedEnvironment | undefined> {
  const manifest = await readJson(join(worktree, "package.json"));
  if (!manifest) return undefined;
  const testScript = scriptOf(manifest, "test");
  const evidence: string[] = [];
  let kind: string;
  let setup: string[];
  let runner: string;
  let lockfile: string | undefined;
  if (await exists(join(worktree, "pnpm-lock.yaml"))) {
    [kind, setup, runner, lockfile] = ["node-pnpm", ["pnpm install --frozen-lockfile"], "pnpm", "pnpm-lock.yaml"];
  } else if (await exists(join(worktree, "package-lock.json"))) {
    [kind, setup, runner, lockfile] = ["node-npm", ["npm ci"], "npm", "package-lock.json"];
  } else if (await exists(join(worktree, "npm-shrinkwrap.json"))) {
    [kind, setup, runner, lockfile] = ["node-npm", ["npm ci"], "npm", "npm-shrinkwrap.json"];
  } else if (await exists(join(worktree, "yarn.lock"))) {
    // Yarn 2+ (a .yarnrc.yml) renamed --frozen-lockfile to --immutable.
    const berry = await exists(join(worktree, ".yarnrc.yml"));
    [kind, setup, runner, lockfile] = ["node-yarn", [berry ? "yarn install --immutable" : "yarn install --frozen-lockfile"], "yarn", "yarn.lock"];
  } else {
    // No lockfile: install what package.json asks for; nothing to key a cache on.
    [kind, setup, runner, lockfile] = ["node-npm", ["npm install --no-audit --no-fund"], "npm", undefined];
  }
  evidence.push(lockfile ? `${lockfile} → ${setup.join(" && ")}` : `package.json without a lockfile → ${setup.join(" && ")}`);
  if (testScript) evidence.push(`package.json scripts.test (${testScript}) → ${runner} test`);
  else evidence.push("package.json has no test script");
  return { kind, toolchain: "node", setup, testCommand: testScript ? `${runner} test` : undefined, evidence, lockfile };
}

async function detectPython(worktree: string): Promise<DetectedEnvironment | undefined> {
  const requirements = ["requirements.txt", "requirements-dev.txt", "requirements-test.txt"];
  const present: string[] = [];
  for (const name of requirements) if (await exists(join(worktree, name))) present.push(name);
  const pyproject = await readText(join(worktree, "pyproject.toml"));
  const setupPy = await exists(join(worktree, "setup.py"));
  if (present.length === 0 && pyproject === undefined && !setupPy) return undefined;

  // --system-site-packages: tools the toolchain image ships (pytest) stay usable without reaching PyPI.
  const setup = [`python3 -m venv --system-site-packages ${venvDir}`];
  const evidence: string[] = [];
  let kind: string;
  let lockfile: string | undefined;
  if (present.length > 0) {
    kind = "python-requirements";
    lockfile = present[0];
    for (const name of present) setup.push(`python -m pip install -r ${name}`);
    evidence.push(`${present.join(", ")} → virtualenv ${venvDir} + pip install -r`);
  } else {
    kind = "python-pyproject";
    lockfile = pyproject !== undefined ? "pyproject.toml" : "setup.py";
    const installable = setupPy || (pyproject !== undefined && /^\[(project|build-system|tool\.poetry)\]/m.test(pyproject));
    if (installable) setup.push("python -m pip install -e .");
    evidence.push(`${lockfile} → virtualenv ${venvDir}${installable ? " + pip install -e ." : ""}`);
  }
  const texts = [pyproject ?? "", ...(await Promise.all(present.map((name) => readText(join(worktree, name)))))].join("\n");
  const usesPytest =
    /\bpytest\b/i.test(texts) || (await exists(join(worktree, "pytest.ini"))) || (await exists(join(worktree, "conftest.py"))) || (await exists(join(worktree, "tests", "conftest.py")));
  const testCommand = usesPytest ? "python -m pytest -v" : "python -m unittest discover -v";
  evidence.push(usesPytest ? "pytest declared or configured → python -m pytest -v" : "no pytest found → python -m unittest discover -v");
  return { kind, toolchain: "python", setup, testCommand, evidence, lockfile };
}

async function hasMakeTarget(worktree: string, target: string): Promise<boolean> {
  const makefile = (await readText(join(worktree, "Makefile"))) ?? (await readText(join(worktree, "makefile")));
  return makefile !== undefined && new RegExp(`^${target}\\s*:(?!=)`, "m").test(makefile);
}

/**
 * Decides setup and test commands from the repository's manifests when FIXLINE_CONFIG says nothing. The first
 * manifest family found wins, in the order of how specific its lockfile is; a Makefile `test` target is the
 * last resort. Reads files only; never runs anything.
 */
export async function detectEnvironment(worktree: string): Promise<DetectedEnvironment> {
  const node = await detectNode(worktree);
  if (node) return node;
  const python = await detectPython(worktree);
  if (python) return python;
  if (await exists(join(worktree, "go.mod"))) {
    return { kind: "go", toolchain: "go", setup: ["go mod download"], testCommand: "go test -v ./...", evidence: ["go.mod → go mod download, go test -v ./..."], lockfile: (await exists(join(worktree, "go.sum"))) ? "go.sum" : "go.mod" };
  }
  if (await exists(join(worktree, "Cargo.toml"))) {
    const locked = await exists(join(worktree, "Cargo.lock"));
    return { kind: "rust", toolchain: "rust", setup: [locked ? "cargo fetch --locked" : "cargo fetch"], testCommand: "cargo test", evidence: [`Cargo.toml${locked ? " + Cargo.lock" : ""} → cargo fetch, cargo test`], lockfile: locked ? "Cargo.lock" : "Cargo.toml" };
  }
  const composer = await readJson(join(worktree, "composer.json"));
  if (composer) {
    const locked = await exists(join(worktree, "composer.lock"));
    const testScript = scriptOf(composer, "test");
    const requireDev = composer["require-dev"];
    const phpunit = typeof requireDev === "object" && requireDev !== null && "phpunit/phpunit" in requireDev;
    const testCommand = testScript ? "composer test" : phpunit ? "vendor/bin/phpunit" : undefined;
    const evidence = [`composer.json${locked ? " + composer.lock" : ""} → composer install`];
    evidence.push(testScript ? "composer.json scripts.test → composer test" : phpunit ? "phpunit/phpunit in require-dev → vendor/bin/phpunit" : "composer.json has no test script");
    return { kind: "php", toolchain: "php", setup: ["composer install --no-interaction --no-progress --prefer-dist"], testCommand, evidence, lockfile: locked ? "composer.lock" : "composer.json" };
  }
  if (await exists(join(worktree, "pom.xml"))) {
    return { kind: "java-maven", toolchain: "java", setup: ["mvn -B -q dependency:resolve"], testCommand: "mvn -B test", evidence: ["pom.xml → mvn dependency:resolve, mvn test"], lockfile: "pom.xml" };
  }
  for (const gradle of ["build.gradle", "build.gradle.kts"]) {
    if (await exists(join(worktree, gradle))) {
      const wrapper = (await exists(join(worktree, "gradlew"))) ? "./gradlew" : "gradle";
      return { kind: "java-gradle", toolchain: "java", setup: [], testCommand: `${wrapper} test`, evidence: [`${gradle} → ${wrapper} test`], lockfile: gradle };
    }
  }
  if (await hasMakeTarget(worktree, "test")) {
    return { kind: "make", toolchain: "generic", setup: [], testCommand: "make test", evidence: ["Makefile has a test target → make test"], lockfile: undefined };
  }
  return { kind: "unknown", toolchain: "generic", setup: [], testCommand: undefined, evidence: ["no manifest recognised (package.json, requirements.txt, pyproject.toml, go.mod, Cargo.toml, composer.json, pom.xml, build.gradle, Makefile)"], lockfile: undefined };
}
