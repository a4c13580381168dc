import type { EffectiveRepoSettings } from "@fixline/core";
import { detectEnvironment, type Toolchain } from "./detect-environment";

/** Used when neither the repository's timeoutSeconds nor the caller says otherwise. */
export const defaultEnvironmentTimeoutSeconds = 600;

export interface ResolvedEnvironment {
  /** The whole suite: what base, red and green runs use. */
  testCommand: string | undefined;
  /**
   * PLAN.md's test command when it is not the whole suite: the agent may run it for a quick check (it is on
   * the allow-list), but it never decides anything.
   */
  planTestCommand?: string | undefined;
  setup: string[];
  /** Non-secret variables from FIXLINE_CONFIG's repos.<repo>.env. */
  env: Record<string, string>;
  detected: { kind: string; evidence: string[] };
  /** Command prefixes the agent's Bash tool may run (the executor turns each into `Bash(<prefix>:*)`). */
  allowedBashPrefixes: string[];
  preRun: string[];
  postRun: string[];
  /** Per setup command and hook; the default for a test run. */
  timeoutSeconds: number;
  /** The image the executor runs this repository in (infrastructure/docker/images); unset = the default image. */
  image?: string;
  /** The toolchain the manifests point to; the image to pick when `image` is unset and per-toolchain images exist. */
  toolchain: Toolchain;
  /** The lockfile (relative to the worktree) that keys the dependency cache; set only when the setup is the detected one or installs from it. */
  lockfile: string | undefined;
  /** Where each of setup and testCommand came from, for PLAN.md's environment notes. */
  sources: { setup: "config" | "detected"; testCommand: "config" | "plan" | "detected" | "none" };
}

export interface ResolveEnvironmentInput {
  worktree: string;
  repo: string;
  settings: EffectiveRepoSettings;
  /** The test command PLAN.md names; it is the suite only when nothing is configured or detected. */
  planTestCommand?: string | undefined;
}

/**
 * What the agent may run besides the repository's own test command, per toolchain: the test runner and build
 * tools of that ecosystem, never its installers (dependencies are installed by setup, before the agent).
 */
const toolchainPrefixes: Record<string, string[]> = {
  "node-npm": ["npm test", "npm run", "npx vitest", "npx jest", "npx tsc", "node"],
  "node-pnpm": ["pnpm test", "pnpm run", "pnpm exec", "node"],
  "node-yarn": ["yarn test", "yarn run", "node"],
  "python-requirements": ["python -m pytest", "python -m unittest", "pytest", "python"],
  "python-pyproject": ["python -m pytest", "python -m unittest", "pytest", "python"],
  go: ["go test", "go build", "go vet"],
  rust: ["cargo test", "cargo build", "cargo check"],
  php: ["composer test", "vendor/bin/phpunit", "php"],
  "java-maven": ["mvn -B test", "mvn test", "mvn -B -q test"],
  "java-gradle": ["./gradlew test", "gradle test"],
  make: ["make test"],
};

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * The environment a task runs in: FIXLINE_CONFIG's settings for the repository where it has them, detection
 * from the worktree's manifests where it does not. The suite is the repository's (issue 15, property 4):
 * the operator's configured `test`, else the detected one; PLAN.md's command is the suite only when there is
 * neither, because a plan that names one test file would otherwise hide every regression elsewhere.
 */
export async function resolveEnvironment(input: ResolveEnvironmentInput): Promise<ResolvedEnvironment> {
  const { settings } = input;
  const detected = await detectEnvironment(input.worktree);
  const configuredTest = nonEmpty(settings.test);
  const planTest = nonEmpty(input.planTestCommand);
  const testCommand = configuredTest ?? detected.testCommand ?? planTest;
  const setupConfigured = settings.setup !== undefined;
  const setup = (settings.setup ?? detected.setup).map((command) => command.trim()).filter((command) => command !== "");

  const evidence = [...detected.evidence];
  if (setupConfigured) evidence.push(`FIXLINE_CONFIG repos.${input.repo}.setup → ${setup.length > 0 ? setup.join(" && ") : "(none)"}`);
  if (configuredTest) evidence.push(`FIXLINE_CONFIG repos.${input.repo}.test → ${configuredTest}`);
  else if (!detected.testCommand && planTest) evidence.push(`PLAN.md test command → ${planTest} (nothing configured or detected)`);

  const prefixes = new Set<string>();
  if (testCommand) prefixes.add(testCommand);
  if (planTest) prefixes.add(planTest);
  for (const prefix of toolchainPrefixes[detected.kind] ?? []) prefixes.add(prefix);
  for (const prefix of settings.allowedCommands ?? []) if (prefix.trim()) prefixes.add(prefix.trim());

  return {
    testCommand,
    planTestCommand: planTest !== undefined && planTest !== testCommand ? planTest : undefined,
    setup,
    env: { ...settings.env },
    detected: { kind: detected.kind, evidence },
    allowedBashPrefixes: [...prefixes],
    preRun: settings.hooks?.preRun ?? [],
    postRun: settings.hooks?.postRun ?? [],
    timeoutSeconds: settings.timeoutSeconds ?? defaultEnvironmentTimeoutSeconds,
    ...(settings.image ? { image: settings.image } : {}),
    toolchain: detected.toolchain,
    lockfile: detected.lockfile,
    sources: {
      setup: setupConfigured ? "config" : "detected",
      testCommand: configuredTest ? "config" : detected.testCommand ? "detected" : planTest ? "plan" : "none",
    },
  };
}
