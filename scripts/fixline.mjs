#!/usr/bin/env node
// Runs the compiled `fixline` command (dist/cli, built by scripts/build.mjs), building it first when any
// TypeScript source is newer than the build, so a fresh clone or a `git pull` never runs stale code and
// nobody has to remember a build step. `pnpm dev` runs the sources through tsx instead.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli", "BUILT");

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "test" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(path, newest);
    else if (entry.name.endsWith(".ts") || entry.name === "package.json") newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return 0;
  }
}

const sources = Math.max(...["services", "shared", "agents"].map((dir) => newestSource(join(root, dir))), statSync(join(root, "scripts", "build.mjs")).mtimeMs);
if (builtAt() < sources) {
  const result = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
process.setSourceMapsEnabled(true);
await import(pathToFileURL(join(root, "dist", "cli", "main.mjs")).href);
