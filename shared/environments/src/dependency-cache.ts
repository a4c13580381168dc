import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import type { Logger } from "@fixline/core";
import { firstDifference, manifestDigest, sameDigest, treeManifest, type ManifestEntry } from "./tree-manifest";

/** Default bound of everything under the cache dir (saved node_modules and download caches). */
export const defaultCacheMaxBytes = 2 * 1024 ** 3;

const savedDir = (cacheDir: string) => join(cacheDir, "node-modules");
const downloadsDir = (cacheDir: string) => join(cacheDir, "downloads");

/** Install commands a cache hit replaces; other setup commands (builds, codegen) still run. */
export function isInstallCommand(command: string): boolean {
  const c = command.trim();
  // A compound command (npm ci && npm run build) does more than install: it always runs.
  if (/[;&|`$()<>]/.test(c)) return false;
  return /^npm\s+(ci|install|i)(\s|$)/.test(c) || /^pnpm\s+(install|i)(\s|$)/.test(c) || /^yarn(\s+install)?(\s+-\S+)*\s*$/.test(c);
}

/**
 * The cache key of a saved node_modules: the repository, its lockfile's bytes, the install commands and the
 * Node that ran them (native addons are built for one Node ABI and platform).
 */
export function dependencyCacheKey(input: { repo: string; lockfileContent: string | Buffer; installCommands: string[]; runtime: string; environment?: Record<string, string> }): string {
  const hash = createHash("sha256");
  // The repository's own variables (NODE_ENV=production installs a different tree) are part of the environment.
  const environment = JSON.stringify(Object.entries(input.environment ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  for (const part of [input.repo, input.runtime, input.installCommands.join("\n"), environment]) hash.update(part).update("\0");
  hash.update(input.lockfileContent);
  return hash.digest("hex");
}

/**
 * A real copy (a reflink where the file system offers one, so still cheap on btrfs/XFS), never hardlinks:
 * with `cp -al` a test writing into node_modules in place wrote into the cache entry's inode, and so into
 * every later task's dependencies (issue 14).
 */
async function copyTree(from: string, to: string): Promise<void> {
  await execa("cp", ["-a", "--reflink=auto", from, to]);
}

interface EntryMeta {
  bytes?: unknown;
  savedAt?: unknown;
  digest?: unknown;
}

async function treeBytes(path: string): Promise<number> {
  const result = await execa("du", ["-sb", path], { reject: false });
  const bytes = Number(result.stdout.split(/\s/)[0]);
  return Number.isFinite(bytes) ? bytes : 0;
}

/**
 * Puts the saved node_modules for `key` into the worktree. Returns false on a miss, or when the entry vanished
 * mid-copy (evicted by another worker): the caller then installs as usual.
 */
export async function restoreNodeModules(cacheDir: string, key: string, worktree: string, logger: Logger, secret?: string): Promise<boolean> {
  const entry = join(savedDir(cacheDir), key);
  let meta: EntryMeta;
  try {
    meta = JSON.parse(await readFile(join(entry, "complete"), "utf8")) as EntryMeta;
  } catch {
    return false;
  }
  const target = join(worktree, "node_modules");
  await rm(target, { recursive: true, force: true });
  try {
    await copyTree(join(entry, "node_modules"), target);
  } catch (error) {
    logger.warn({ err: error, key }, "cannot restore node_modules from the cache; installing instead");
    await rm(target, { recursive: true, force: true });
    return false;
  }
  // What is checked is the copy the task got, against the manifest saved with the entry, whose digest is
  // keyed with the worker's secret: a file changed, added or removed in the entry since it was saved (by a
  // task's setup or tests, which can reach the cache) drops the entry, and the task installs afresh.
  const problem = await verifyCopy(entry, target, meta, secret).catch((error: unknown) => `unreadable (${(error as Error).message})`);
  if (problem !== undefined) {
    logger.warn({ key, problem }, "dependency cache entry does not match what was saved; dropped it and installing instead");
    await rm(target, { recursive: true, force: true });
    await rm(entry, { recursive: true, force: true });
    return false;
  }
  // The entry's mtime is its last use: eviction removes the least recently used first.
  const now = new Date();
  await utimes(entry, now, now).catch(() => {});
  return true;
}

/** Saves the worktree's node_modules under `key`; written to a temporary name and renamed, so readers never see half an entry. */
export async function saveNodeModules(cacheDir: string, key: string, worktree: string, logger: Logger, secret?: string): Promise<boolean> {
  const source = join(worktree, "node_modules");
  try {
    await stat(source);
  } catch {
    return false;
  }
  const root = savedDir(cacheDir);
  await mkdir(root, { recursive: true });
  const temporary = join(root, `.tmp-${key.slice(0, 12)}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(temporary);
    await copyTree(source, join(temporary, "node_modules"));
    // The manifest is of the copy, which no task process can reach until it is renamed into place.
    const manifest = await treeManifest(join(temporary, "node_modules"));
    await writeFile(join(temporary, "manifest.json"), JSON.stringify(manifest));
    await writeFile(join(temporary, "complete"), JSON.stringify({ bytes: await treeBytes(temporary), savedAt: new Date().toISOString(), digest: manifestDigest(manifest, secret) }));
    await rename(temporary, join(root, key));
    return true;
  } catch (error) {
    // ENOTEMPTY/EEXIST: another task saved the same key first; theirs is as good as ours.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") logger.warn({ err: error, key }, "cannot save node_modules to the cache");
    await rm(temporary, { recursive: true, force: true });
    return false;
  }
}

/** Why the restored copy cannot be trusted, or undefined when it is exactly what was saved. */
async function verifyCopy(entry: string, copy: string, meta: EntryMeta, secret: string | undefined): Promise<string | undefined> {
  if (typeof meta.digest !== "string") return "saved without a manifest";
  const manifest = JSON.parse(await readFile(join(entry, "manifest.json"), "utf8")) as ManifestEntry[];
  if (!sameDigest(manifestDigest(manifest, secret), meta.digest)) return "manifest digest does not match";
  const changed = firstDifference(manifest, await treeManifest(copy));
  return changed === undefined ? undefined : `node_modules/${changed} differs from the saved tree`;
}

interface CacheEntry {
  path: string;
  bytes: number;
  lastUsedMs: number;
}

async function listEntries(cacheDir: string): Promise<CacheEntry[]> {
  const entries: CacheEntry[] = [];
  for (const [root, saved] of [[savedDir(cacheDir), true], [downloadsDir(cacheDir), false]] as const) {
    let names: string[];
    try {
      names = await readdir(root);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(root, name);
      try {
        const info = await stat(path);
        if (!info.isDirectory()) continue;
        let bytes: number | undefined;
        if (saved && !name.startsWith(".tmp-")) {
          const meta = JSON.parse(await readFile(join(path, "complete"), "utf8").catch(() => "{}")) as { bytes?: unknown };
          if (typeof meta.bytes === "number") bytes = meta.bytes;
        }
        // Temporary entries still being written are left alone unless they are old (a worker died mid-save).
        if (name.startsWith(".tmp-") && Date.now() - info.mtimeMs < 3600_000) continue;
        entries.push({ path, bytes: bytes ?? (await treeBytes(path)), lastUsedMs: info.mtimeMs });
      } catch {
        // Removed while we looked: nothing to count.
      }
    }
  }
  return entries;
}

/**
 * Keeps the cache under `maxBytes` by removing the least recently used entries (saved node_modules trees and
 * whole download caches), never the ones in `keep`.
 */
export async function evictCache(cacheDir: string, maxBytes: number, options: { keep?: string[]; logger: Logger }): Promise<{ totalBytes: number; removed: string[] }> {
  const entries = await listEntries(cacheDir);
  let total = entries.reduce((sum, e) => sum + e.bytes, 0);
  const removed: string[] = [];
  const keep = new Set(options.keep ?? []);
  for (const entry of entries.sort((a, b) => a.lastUsedMs - b.lastUsedMs)) {
    if (total <= maxBytes) break;
    if (keep.has(entry.path)) continue;
    await rm(entry.path, { recursive: true, force: true });
    total -= entry.bytes;
    removed.push(entry.path);
  }
  if (removed.length > 0) options.logger.info({ removed: removed.length, totalBytes: total, maxBytes }, "dependency cache evicted least recently used entries");
  return { totalBytes: total, removed };
}

/** Marks a download cache as used now, so eviction sees it as recent. */
export async function touchDownloadCaches(cacheDir: string): Promise<void> {
  const root = downloadsDir(cacheDir);
  const names = await readdir(root).catch(() => [] as string[]);
  const now = new Date();
  await Promise.all(names.map((name) => utimes(join(root, name), now, now).catch(() => {})));
}

export function savedEntryPath(cacheDir: string, key: string): string {
  return join(savedDir(cacheDir), key);
}
