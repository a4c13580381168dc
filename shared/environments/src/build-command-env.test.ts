import { describe, expect, it } from "vitest";
import { buildCommandEnv, isForbiddenVariable } from "./build-command-env";

describe("buildCommandEnv", () => {
  it("builds from nothing: PATH, HOME, CI and the repository's variables, never credentials", () => {
    const { env, refused } = buildCommandEnv({
      worktree: "/w",
      pathEnv: "/opt/node/bin:/usr/bin",
      homeDir: "/home/fixline",
      repoEnv: { DATABASE_URL: "postgres://secret", GITHUB_TOKEN: "ghp_x", NPM_TOKEN: "x", TZ: "UTC" },
    });
    expect(env).toMatchObject({ PATH: "/opt/node/bin:/usr/bin", HOME: "/home/fixline", CI: "true", TZ: "UTC" });
    expect(refused.sort()).toEqual(["DATABASE_URL", "GITHUB_TOKEN", "NPM_TOKEN"]);
    expect(Object.keys(env)).not.toContain("DATABASE_URL");
    expect(Object.keys(env)).not.toContain("GITHUB_TOKEN");
    expect(Object.keys(env)).not.toContain("ANTHROPIC_API_KEY");
  });

  it("puts the virtualenv first on PATH for Python", () => {
    const { env } = buildCommandEnv({ worktree: "/w", pathEnv: "/usr/bin", toolchain: "python" });
    expect(env.PATH).toBe("/w/.venv/bin:/usr/bin");
    expect(env.VIRTUAL_ENV).toBe("/w/.venv");
  });

  it("points the package managers' download caches into the cache dir", () => {
    const { env } = buildCommandEnv({ worktree: "/w", cacheDir: "/cache" });
    expect(env).toMatchObject({ npm_config_cache: "/cache/downloads/npm", PIP_CACHE_DIR: "/cache/downloads/pip", GOMODCACHE: "/cache/downloads/go-mod" });
  });

  it("treats names that look like credentials as forbidden", () => {
    expect(isForbiddenVariable("SLACK_BOT_TOKEN")).toBe(true);
    expect(isForbiddenVariable("MY_SERVICE_SECRET")).toBe(true);
    expect(isForbiddenVariable("CLAUDE_CODE_OAUTH_TOKEN")).toBe(true);
    expect(isForbiddenVariable("NODE_ENV")).toBe(false);
  });
});
