import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join, relative } from "node:path";

/** One entry of a saved tree: what it is, and for files their bytes' sha256; enough to tell any change. */
export type ManifestEntry = { path: string; type: "file"; mode: number; size: number; sha256: string } | { path: string; type: "dir"; mode: number } | { path: string; type: "symlink"; target: string };

async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Every file, directory and symlink under `root`, sorted by path. Anything else (a socket, a fifo) is refused. */
export async function treeManifest(root: string): Promise<ManifestEntry[]> {
  const names = await readdir(root, { recursive: true });
  const entries: ManifestEntry[] = [];
  for (const name of names.sort()) {
    const path = join(root, name);
    const info = await lstat(path);
    const rel = relative(root, path);
    if (info.isSymbolicLink()) entries.push({ path: rel, type: "symlink", target: await readlink(path) });
    else if (info.isDirectory()) entries.push({ path: rel, type: "dir", mode: info.mode & 0o7777 });
    else if (info.isFile()) entries.push({ path: rel, type: "file", mode: info.mode & 0o7777, size: info.size, sha256: await fileSha256(path) });
    else throw new Error(`${rel} is neither a file, a directory nor a symlink`);
  }
  return entries;
}

/** The manifest's digest, keyed with `secret` when there is one (so a process without it cannot forge an entry). */
export function manifestDigest(manifest: readonly ManifestEntry[], secret: string | undefined): string {
  const text = JSON.stringify(manifest);
  return secret ? createHmac("sha256", secret).update(text).digest("hex") : createHash("sha256").update(text).digest("hex");
}

export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The first path where `actual` differs from `expected` (changed, added or missing), or undefined when they match. */
export function firstDifference(expected: readonly ManifestEntry[], actual: readonly ManifestEntry[]): string | undefined {
  const want = new Map(expected.map((e) => [e.path, JSON.stringify(e)]));
  for (const entry of actual) {
    if (want.get(entry.path) !== JSON.stringify(entry)) return entry.path;
    want.delete(entry.path);
  }
  return want.keys().next().value;
}
