import { randomBytes } from "node:crypto";
import { readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@fixline/core";
import type { GitRunner } from "./git-runner";

/** How remote branches are fetched into the mirror (see mirror.ts). */
export const fetchRefspec = "+refs/heads/*:refs/remotes/origin/*";

/**
 * A mirror's `config` is written by Fixline only, yet the agent (and any repository script) can write it when
 * it runs unsandboxed, and every worktree reads it. A program can only ever come from config: a filter,
 * diff, merge or textconv driver named in `.gitattributes` or `info/attributes` does nothing without its
 * `filter.<x>.*` / `diff.<x>.*` / `merge.<x>.*` keys; `core.sshCommand`, `core.pager`, `core.editor`,
 * `include.path`, `includeIf`, `core.attributesFile`, `uploadpack` / `receivepack`, `url.*.insteadOf`,
 * `extensions.worktreeConfig` are all keys too (issue 14). So the config is held to an allow-list of what
 * Fixline writes, and the whole file is rebuilt when anything else appears.
 */
function allowed(key: string, value: string, url: string): boolean {
  switch (key) {
    case "core.repositoryformatversion":
      return value === "0";
    case "core.bare":
      return value === "true";
    case "core.filemode":
    case "core.logallrefupdates":
    case "core.ignorecase":
    case "core.precomposeunicode":
    case "core.symlinks":
      return value === "true" || value === "false";
    case "remote.origin.url":
      return value === url;
    case "remote.origin.fetch":
      return value === fetchRefspec;
    case "gc.auto":
      return value === "0";
    case "maintenance.auto":
      return value === "false";
    default: {
      // `git branch --set-upstream-to` writes these for each task branch; nothing runs from them.
      const branch = /^branch\.(.+)\.(remote|merge)$/s.exec(key);
      if (!branch) return false;
      return branch[2] === "remote" ? value === "origin" : value === `refs/heads/${branch[1]}`;
    }
  }
}

/** The configuration Fixline gives a mirror, as `git config` entries (git does the quoting). */
export function mirrorConfigEntries(url: string): Array<[string, string]> {
  return [
    ["core.repositoryformatversion", "0"],
    ["core.filemode", "true"],
    ["core.bare", "true"],
    ["remote.origin.url", url],
    ["remote.origin.fetch", fetchRefspec],
    // Concurrent tasks commit into this object store; an automatic gc there could race with them.
    ["gc.auto", "0"],
    ["maintenance.auto", "false"],
  ];
}

export async function writeMirrorConfig(git: GitRunner, configPath: string, url: string): Promise<void> {
  const staging = `${configPath}.fixline-${randomBytes(4).toString("hex")}`;
  try {
    for (const [key, value] of mirrorConfigEntries(url)) await git(["config", "--file", staging, key, value]);
    await rename(staging, configPath);
  } finally {
    await rm(staging, { force: true });
  }
}

/**
 * Before Fixline's git touches a mirror or one of its worktrees: the config back to the allow-list (unknown
 * keys logged by name and dropped), and the other places a repository-local setting could hide emptied:
 * `info/attributes` and every worktree's `config.worktree`. Reading is `git config --file --no-includes`,
 * which runs nothing. Returns the keys it removed.
 */
export async function enforceMirrorConfig(git: GitRunner, mirrorPath: string, url: string, logger: Logger): Promise<string[]> {
  const configPath = join(mirrorPath, "config");
  const { stdout } = await git(["config", "--file", configPath, "--no-includes", "--null", "--list"], { okExitCodes: [1] });
  const rejected: string[] = [];
  for (const entry of stdout.split("\0").filter(Boolean)) {
    const newline = entry.indexOf("\n");
    const key = newline === -1 ? entry : entry.slice(0, newline);
    const value = newline === -1 ? "" : entry.slice(newline + 1);
    if (!allowed(key, value, url)) rejected.push(key);
  }
  await rm(join(mirrorPath, "info", "attributes"), { force: true });
  const worktrees = await readdir(join(mirrorPath, "worktrees")).catch(() => [] as string[]);
  await Promise.all(worktrees.map((id) => rm(join(mirrorPath, "worktrees", id, "config.worktree"), { force: true })));
  if (rejected.length > 0) {
    logger.warn({ mirror: mirrorPath, keys: [...new Set(rejected)] }, "the mirror's git config held keys Fixline never writes (written by the agent or a repository script?); rebuilt it");
    await writeMirrorConfig(git, configPath, url);
  }
  return rejected;
}
