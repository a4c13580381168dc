import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EffectiveRepoSettings } from "@fixline/core";
import { resolveEnvironment } from "./resolve-environment";
import { describeEnvironment } from "./describe-environment";

let worktree: string;
beforeAll(async () => {
  worktree = await mkdtemp(join(tmpdir(), "fixline-resolve-"));
  await writeFile(join(worktree, "package.json"), JSON.stringify({ scripts: { test: "vitest run" } }));
  await writeFile(join(worktree, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
});
afterAll(() => rm(worktree, { recursive: true, force: true }));

const base: EffectiveRepoSettings = { scopePolicy: "warn", dryRun: false, budgets: { perTaskUsd: 5, perRepoPerDayUsd: 50 } };

describe("resolveEnvironment", () => {
  it("uses detection when nothing is configured, and allows the toolchain's runners rather than npm", async () => {
    const env = await resolveEnvironment({ worktree, repo: "acme/web", settings: base });
    expect(env).toMatchObject({ testCommand: "pnpm test", setup: ["pnpm install --frozen-lockfile"], preRun: [], postRun: [], timeoutSeconds: 600, toolchain: "node" });
    expect(env.sources).toEqual({ setup: "detected", testCommand: "detected" });
    expect(env.allowedBashPrefixes).toContain("pnpm test");
    expect(env.allowedBashPrefixes).not.toContain("npm test");
    expect(env.image).toBeUndefined();
  });

  it("configured settings win; PLAN.md's test command comes between config and detection", async () => {
    const settings: EffectiveRepoSettings = {
      ...base,
      setup: ["pnpm install --frozen-lockfile", "pnpm build"],
      test: "pnpm vitest run --reporter=verbose",
      env: { NODE_OPTIONS: "--max-old-space-size=2048" },
      image: "fixline-executor-node",
      timeoutSeconds: 120,
      hooks: { preRun: ["docker compose up -d db"], postRun: ["docker compose down"] },
      allowedCommands: ["pnpm lint"],
    };
    const env = await resolveEnvironment({ worktree, repo: "acme/web", settings, planTestCommand: "pnpm vitest run src/cart.test.ts" });
    expect(env).toMatchObject({
      testCommand: "pnpm vitest run --reporter=verbose",
      setup: ["pnpm install --frozen-lockfile", "pnpm build"],
      env: { NODE_OPTIONS: "--max-old-space-size=2048" },
      image: "fixline-executor-node",
      timeoutSeconds: 120,
      preRun: ["docker compose up -d db"],
      postRun: ["docker compose down"],
    });
    expect(env.allowedBashPrefixes).toEqual(expect.arrayContaining(["pnpm vitest run --reporter=verbose", "pnpm lint", "pnpm test"]));
    expect(env.detected.evidence.join("\n")).toContain("repos.acme/web.test");

    // Issue 15: a plan's command that runs one file never replaces the detected whole suite; it is only allowed.
    const fromPlan = await resolveEnvironment({ worktree, repo: "acme/web", settings: base, planTestCommand: "pnpm vitest run src/cart.test.ts" });
    expect(fromPlan.testCommand).toBe("pnpm test");
    expect(fromPlan.sources.testCommand).toBe("detected");
    expect(fromPlan.planTestCommand).toBe("pnpm vitest run src/cart.test.ts");
    expect(fromPlan.allowedBashPrefixes).toContain("pnpm vitest run src/cart.test.ts");
  });

  it("the plan's command is the suite only when nothing is configured or detected", async () => {
    const bare = await mkdtemp(join(tmpdir(), "fixline-env-bare-"));
    try {
      const env = await resolveEnvironment({ worktree: bare, repo: "acme/web", settings: base, planTestCommand: "./run-tests.sh" });
      expect(env.testCommand).toBe("./run-tests.sh");
      expect(env.sources.testCommand).toBe("plan");
      expect(env.planTestCommand).toBeUndefined();
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it("an empty configured setup list means no setup, not detection", async () => {
    const env = await resolveEnvironment({ worktree, repo: "acme/web", settings: { ...base, setup: [] } });
    expect(env.setup).toEqual([]);
    expect(env.sources.setup).toBe("config");
  });

  it("describes itself for PLAN.md", async () => {
    const env = await resolveEnvironment({ worktree, repo: "acme/web", settings: base });
    const text = describeEnvironment(env, { durationMs: 1500, cacheHit: true });
    expect(text).toContain("`node-pnpm`");
    expect(text).toContain("Setup time: 1.5s (dependency cache hit)");
    expect(text).toContain("pnpm-lock.yaml →");
  });
});
