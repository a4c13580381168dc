import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { dependencyCacheKey, evictCache, isInstallCommand } from "./dependency-cache";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("isInstallCommand", () => {
  it("recognises installs, not scripts that happen to start with the same tool", () => {
    for (const c of ["npm ci", "npm install", "npm i --no-audit", "pnpm install --frozen-lockfile", "yarn", "yarn install --immutable", "yarn --frozen-lockfile"]) expect(isInstallCommand(c), c).toBe(true);
    for (const c of ["npm test", "npm run build", "pnpm build", "yarn test", "yarn run build", "npm ci && npm run build"]) expect(isInstallCommand(c), c).toBe(false);
  });
});

describe("dependencyCacheKey", () => {
  it("changes with the lockfile, the repo, the install commands and the runtime", () => {
    const base = { repo: "acme/web", lockfileContent: "lock-1", installCommands: ["npm ci"], runtime: "v24.0.0 linux-x64" };
    const key = dependencyCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(dependencyCacheKey({ ...base })).toBe(key);
    expect(dependencyCacheKey({ ...base, lockfileContent: "lock-2" })).not.toBe(key);
    expect(dependencyCacheKey({ ...base, repo: "acme/api" })).not.toBe(key);
    expect(dependencyCacheKey({ ...base, installCommands: ["npm install"] })).not.toBe(key);
    expect(dependencyCacheKey({ ...base, runtime: "v22.0.0 linux-x64" })).not.toBe(key);
  });
});

describe("evictCache", () => {
  it("removes least recently used entries until the cache fits, keeping the protected one", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "fixline-evict-"));
    dirs.push(cacheDir);
    const entry = async (name: string, ageSeconds: number) => {
      const path = join(cacheDir, "node-modules", name);
      await mkdir(join(path, "node_modules"), { recursive: true });
      await writeFile(join(path, "complete"), JSON.stringify({ bytes: 1000 }));
      const when = new Date(Date.now() - ageSeconds * 1000);
      await utimes(path, when, when);
      return path;
    };
    await entry("old", 300);
    await entry("middle", 200);
    const newest = await entry("newest", 100);
    const protectedOld = await entry("protected", 400);
    const result = await evictCache(cacheDir, 2500, { keep: [protectedOld], logger: silentLogger() });
    expect(result.removed.map((p) => p.split("/").pop())).toEqual(["old", "middle"]);
    expect((await readdir(join(cacheDir, "node-modules"))).sort()).toEqual(["newest", "protected"]);
    expect(result.totalBytes).toBe(2000);
    expect(newest).toContain("newest");
  });
});
