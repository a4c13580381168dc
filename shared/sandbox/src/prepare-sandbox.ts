import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import type { SandboxConfig } from "@fixline/core";
import { buildSandboxArgv } from "./build-sandbox-argv";
import { ensureSandboxAvailable } from "./probe-sandbox";
import { createLimitGroup, type LimitBreach, type LimitMechanism } from "./resource-limits";
import type { SandboxPhase, SandboxSpec, SystemPath } from "./sandbox-spec";

export interface SandboxRequest {
  phase: SandboxPhase;
  worktree: string;
  /** The child's whole environment; bwrap itself is started with it, since /proc/1/environ inside is bwrap's. */
  env: Record<string, string>;
  settings: SandboxConfig;
  /** Test runs only: share the host network (FIXLINE_CONFIG repos.<repo>.network). Setup and Claude always do. */
  network?: boolean | undefined;
  readOnly?: readonly string[] | undefined;
  readWrite?: readonly string[] | undefined;
  overlays?: ReadonlyArray<{ source: string; target: string }> | undefined;
  /** More paths to keep invisible (the data directory, the workspaces root). */
  hidden?: readonly string[] | undefined;
}

export interface PreparedCommand {
  file: string;
  args: string[];
  /** "off" when FIXLINE_SANDBOX=off: the command runs as it is. */
  mechanism: LimitMechanism | "off";
  breach(): Promise<LimitBreach | undefined>;
  /** Kills whatever is left in the limit group and removes it; call once the command is over. */
  dispose(): Promise<void>;
}

const systemDirs = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/** What programs read from /etc; never shadow, sudoers, ssh host keys or machine secrets. */
const etcFiles = [
  "passwd", "group", "hosts", "hostname", "resolv.conf", "nsswitch.conf", "host.conf", "gai.conf", "services", "protocols",
  "ssl", "ca-certificates", "ca-certificates.conf", "pki", "alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
  "localtime", "timezone", "os-release", "debian_version", "mime.types", "gitconfig", "profile", "bash.bashrc", "environment",
  "inputrc", "locale.alias", "locale.gen", "default", "python3", "pip.conf", "npmrc", "java-17-openjdk", "java-21-openjdk",
];
/** Credential files that live inside tool folders we bind (cargo's, pyenv's); hidden under /dev/null. */
const credentialFiles = ["credentials", "credentials.toml", ".credentials.json", ".npmrc", ".pypirc", ".netrc", ".git-credentials"];

function systemPaths(): SystemPath[] {
  const paths: SystemPath[] = [];
  for (const dir of systemDirs) {
    try {
      const stat = lstatSync(dir);
      paths.push(stat.isSymbolicLink() ? { kind: "symlink", path: dir, target: readlinkSync(dir) } : { kind: "bind", path: dir });
    } catch {
      // not on this system
    }
  }
  for (const name of etcFiles) if (existsSync(join("/etc", name))) paths.push({ kind: "bind", path: join("/etc", name) });
  return paths;
}

/** The repository's git dirs (the worktree's own gitdir and the common dir: objects, refs, config, hooks), read-only inside. */
export function gitDirsOf(worktree: string): string[] {
  const dotGit = join(worktree, ".git");
  try {
    if (statSync(dotGit).isDirectory()) return [dotGit];
    const match = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"));
    if (!match?.[1]) return [];
    const gitDir = resolve(worktree, match[1].trim());
    const common = existsSync(join(gitDir, "commondir")) ? resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim()) : gitDir;
    return common === gitDir ? [gitDir] : [common, gitDir];
  } catch {
    return [];
  }
}

/**
 * The toolchain: the Node that runs the worker (its whole prefix: npm and corepack live there) and every PATH
 * folder, with the tool prefix of `bin`/`shims`/`.bin` folders (pyenv's versions, pnpm's package).
 */
function toolchainPaths(pathEnv: string | undefined): string[] {
  const paths = new Set<string>([dirname(dirname(process.execPath))]);
  for (const dir of (pathEnv ?? "").split(":")) {
    if (!isAbsolute(dir) || !existsSync(dir)) continue;
    paths.add(dir);
    const name = basename(dir);
    if (name === ".bin" && basename(dirname(dir)) === "node_modules") paths.add(dirname(dirname(dir)));
    else if (name === "bin" || name === "shims") paths.add(dirname(dir));
  }
  return [...paths];
}

function maskedCredentials(dirs: readonly string[]): Array<{ source: string; target: string }> {
  const masks: Array<{ source: string; target: string }> = [];
  for (const dir of dirs) for (const name of credentialFiles) if (existsSync(join(dir, name))) masks.push({ source: "/dev/null", target: join(dir, name) });
  return masks;
}

/**
 * The one door: wraps `bin args…` so it runs inside bubblewrap with the phase's view of the world and the
 * configured limits. The returned argv is meant to run under the orphan watchdog (outside), which leads the
 * process group the runners kill. Throws SANDBOX_UNAVAILABLE when bwrap cannot sandbox here.
 */
export async function prepareSandboxedCommand(bin: string, args: readonly string[], request: SandboxRequest): Promise<PreparedCommand> {
  if (request.settings.mode === "off") return { file: bin, args: [...args], mechanism: "off", breach: async () => undefined, dispose: async () => undefined };
  const bwrap = ensureSandboxAvailable();
  const home = request.env.HOME;
  const toolchain = [...toolchainPaths(request.env.PATH), ...(request.readOnly ?? [])];
  const spec: SandboxSpec = {
    worktree: resolve(request.worktree),
    system: systemPaths(),
    readOnly: [...toolchain, ...gitDirsOf(request.worktree)],
    readWrite: [...(request.readWrite ?? [])],
    overlays: [...maskedCredentials(toolchain), ...(request.overlays ?? [])],
    home: home && isAbsolute(home) ? home : undefined,
    network: request.phase === "test" ? request.network === true : true,
    hidden: [userInfo().homedir, process.cwd(), ...(home && isAbsolute(home) ? [home] : []), ...(request.hidden ?? []).map((path) => resolve(path))],
  };
  const { args: bwrapArgs } = buildSandboxArgv(spec, [bin, ...args]);
  const limits = await createLimitGroup({ memoryMb: request.settings.memoryMb, maxProcesses: request.settings.maxProcesses });
  return {
    file: "/bin/sh",
    args: ["-c", `${limits.prelude} exec "$@"`, "fixline-sandbox", bwrap, ...bwrapArgs],
    mechanism: limits.mechanism,
    breach: () => limits.breach(),
    dispose: () => limits.dispose(),
  };
}
