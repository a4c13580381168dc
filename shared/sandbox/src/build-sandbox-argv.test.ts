import { describe, expect, it } from "vitest";
import { buildSandboxArgv, containsPath } from "./build-sandbox-argv";
import type { SandboxSpec } from "./sandbox-spec";

const spec = (overrides: Partial<SandboxSpec> = {}): SandboxSpec => ({
  worktree: "/data/workspaces/acme/shop/task-1",
  system: [{ kind: "bind", path: "/usr" }, { kind: "symlink", path: "/bin", target: "usr/bin" }],
  readOnly: ["/root/.cache/node-24", "/data/mirrors/acme/shop.git"],
  readWrite: [],
  overlays: [],
  home: "/root",
  network: false,
  hidden: ["/root", "/data"],
  ...overrides,
});
const pairsOf = (args: string[], flag: string) => args.flatMap((arg, i) => (arg === flag ? [[args[i + 1], args[i + 2]]] : []));

describe("buildSandboxArgv", () => {
  it("creates every namespace, a fresh /proc and /dev, private /tmp and HOME, and dies with its supervisor", () => {
    const { args } = buildSandboxArgv(spec(), ["sh", "-c", "npm test"]);
    for (const flag of ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--die-with-parent"]) expect(args).toContain(flag);
    expect(args).not.toContain("--new-session");
    expect(args.join(" ")).toContain("--proc /proc --dev /dev --tmpfs /tmp --tmpfs /root");
    expect(args.slice(-6)).toEqual(["--chdir", "/data/workspaces/acme/shop/task-1", "--", "sh", "-c", "npm test"]);
  });

  it("shares the network only when asked", () => {
    expect(buildSandboxArgv(spec({ network: true }), ["true"]).args).not.toContain("--unshare-net");
  });

  it("binds the worktree read-write and the git dir and toolchain read-only, shallow first", () => {
    const { args } = buildSandboxArgv(spec({ overlays: [{ source: "/tmp/run/dot-claude", target: "/data/workspaces/acme/shop/task-1/.claude" }] }), ["true"]);
    expect(pairsOf(args, "--bind")).toEqual([["/data/workspaces/acme/shop/task-1", "/data/workspaces/acme/shop/task-1"]]);
    expect(pairsOf(args, "--ro-bind-try")).toEqual(
      expect.arrayContaining([
        ["/data/mirrors/acme/shop.git", "/data/mirrors/acme/shop.git"],
        ["/root/.cache/node-24", "/root/.cache/node-24"],
      ]),
    );
    // The overlay lands after (on top of) the worktree it sits in; HOME's tmpfs comes before the toolchain inside it.
    expect(args.indexOf("/tmp/run/dot-claude")).toBeGreaterThan(args.indexOf("--bind"));
    expect(args.indexOf("--tmpfs")).toBeLessThan(args.indexOf("/root/.cache/node-24"));
    expect(args).toEqual(expect.arrayContaining(["--symlink", "usr/bin", "/bin"]));
  });

  it("a git dir inside the worktree stays read-only over the writable worktree", () => {
    const { args } = buildSandboxArgv(spec({ worktree: "/w/repo", readOnly: ["/w/repo/.git"], hidden: [] }), ["true"]);
    expect(args.indexOf("/w/repo/.git")).toBeGreaterThan(args.indexOf("/w/repo"));
  });

  it("refuses binds that would show a hidden path (a PATH entry of / or the worker's HOME)", () => {
    const { args, refused } = buildSandboxArgv(spec({ readOnly: ["/", "/root", "/data", "/root/.cache/node-24"] }), ["true"]);
    expect(refused).toEqual(["/", "/root", "/data"]);
    expect(pairsOf(args, "--ro-bind-try").map(([source]) => source)).toEqual(["/usr", "/root/.cache/node-24"]);
  });

  it("rejects relative paths and an empty command", () => {
    expect(() => buildSandboxArgv(spec({ worktree: "repo" }), ["true"])).toThrow(/absolute/);
    expect(() => buildSandboxArgv(spec(), [])).toThrow(/command/);
  });
});

describe("containsPath", () => {
  it("is true for the path itself and its parents, not for siblings with a common prefix", () => {
    expect(containsPath("/data", "/data/x")).toBe(true);
    expect(containsPath("/data/", "/data")).toBe(true);
    expect(containsPath("/", "/anything")).toBe(true);
    expect(containsPath("/dat", "/data")).toBe(false);
    expect(containsPath("/data/x", "/data")).toBe(false);
  });
});
