import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

/** Bytes used by the files under a directory (symlinks counted as links, not followed). */
export async function directorySize(path: string): Promise<number> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  const entries = await readdir(path).catch(() => [] as string[]);
  let total = 0;
  for (const entry of entries) total += await directorySize(join(path, entry));
  return total;
}
