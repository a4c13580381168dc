#!/usr/bin/env node
// Compiles the `fixline` command (and through it every role) into plain JavaScript under dist/, once, so
// the runtime does not transpile TypeScript at every start: `fixline --help` took 2.9 s wall under tsx
// (issue 19), 11 s on a loaded machine (issue 17). tsx stays the development path (tests, `pnpm dev`).
//
// Our own packages (@fixline/*) are bundled; third-party packages stay external and load from
// node_modules as usual (pglite's wasm, bull-board's UI and native addons keep their own file layout).
// Dynamic imports become separate chunks, so a command loads only what it runs.
import { build } from "esbuild";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist", "cli");

/**
 * Third-party imports stay external, but pointed at the exact file the source's own package resolves them to:
 * pnpm installs each package's dependencies beside it (not at the root), so a bare `import "kysely"` from
 * dist/ would find nothing. Relative imports and our workspace packages are bundled.
 */
const externalThirdParty = {
  name: "external-third-party",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith("@fixline/") || args.pluginData === "resolving") return undefined;
      if (args.path.startsWith("node:")) return { path: args.path, external: true };
      const resolved = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: "resolving" });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      if (!resolved.path.includes(`${"/"}node_modules${"/"}`)) return { path: args.path, external: true }; // a Node builtin
      const fromOut = relative(outdir, resolved.path).split("\\").join("/");
      return { path: fromOut.startsWith(".") ? fromOut : `./${fromOut}`, external: true };
    });
  },
};

/**
 * A few modules find files beside themselves (`new URL("./public/x", import.meta.url)`: the dashboard's
 * assets, the fake CLI script, the sample repositories). In a bundle import.meta.url is the chunk's URL, so
 * each source file's own URL is rewritten to its original location, relative to the output directory (so
 * the checkout can move as a whole).
 */
const sourceLocation = {
  name: "source-location",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes("import.meta.url")) return { contents: source, loader: "ts" };
      const fromOut = relative(outdir, args.path).split("\\").join("/");
      return { contents: source.replaceAll("import.meta.url", `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`), loader: "ts" };
    });
  },
};

const started = Date.now();
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: { main: join(root, "services/cli/src/main.ts") },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node24",
  sourcemap: "linked",
  // Every output file in one folder, so the relative URLs above hold for chunks too.
  chunkNames: "[name]-[hash]",
  entryNames: "[name]",
  outExtension: { ".js": ".mjs" },
  plugins: [externalThirdParty, sourceLocation],
  logLevel: "warning",
  // Keep names for stack traces and error classes in logs.
  keepNames: true,
});
await writeFile(join(outdir, "BUILT"), `${new Date().toISOString()}\n`);
process.stderr.write(`build: dist/cli/main.mjs in ${Date.now() - started} ms (${pathToFileURL(outdir).pathname})\n`);
