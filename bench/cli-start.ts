/**
 * CLI start-up, before and after compiling (issues 17 and 19): `fixline --help` and `fixline start` to a
 * healthy `/health`, run through tsx from the TypeScript sources (how every command ran before) and from the
 * compiled bundle (scripts/build.mjs), each beside `node -e 0`, interleaved round by round so load on the
 * machine hits every variant alike. Prints median wall times. `fixline start` runs against the local
 * Postgres (DATABASE_URL, default the test server) and Redis, so it measures Fixline, not PGlite's start.
 *
 * Usage: tsx bench/cli-start.ts [--rounds 7]
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { fmt, percentile } from "./lib/stats";
import { freePort } from "@fixline/testing";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" } } });
const rounds = Number(values.rounds);
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";

/** Runs a command to completion; its wall time in ms. */
async function timed(file: string, args: string[]): Promise<number> {
  const started = performance.now();
  const result = await execa(file, args, { cwd: root, reject: false, stdout: "ignore", stderr: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  if (result.exitCode !== 0) throw new Error(`${file} ${args.join(" ")} exited ${result.exitCode}`);
  return performance.now() - started;
}


/** `fixline start --role webhook` until GET /health answers 200, then SIGTERM; the wall time to healthy. */
async function startToHealthy(args: string[]): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", FIXLINE_API_TOKEN: randomBytes(8).toString("hex"), FIXLINE_QUEUE_PREFIX: `bench-start-${randomBytes(3).toString("hex")}` },
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`fixline start exited ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error("fixline start not healthy within 60 s");
      await new Promise((done) => setTimeout(done, 20));
    }
  } finally {
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

const tsxMain = ["--import", "tsx", "services/cli/src/main.ts"];
const compiledMain = ["scripts/fixline.mjs"];
// Build once up front, so no variant pays for a build inside the measurement.
await execa(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });

const variants: Array<{ name: string; run: () => Promise<number> }> = [
  { name: "`node -e 0` (baseline)", run: () => timed(process.execPath, ["-e", "0"]) },
  { name: "`fixline --help`, tsx from sources (before)", run: () => timed(process.execPath, [...tsxMain, "--help"]) },
  { name: "`fixline --help`, compiled (`node scripts/fixline.mjs`)", run: () => timed(process.execPath, [...compiledMain, "--help"]) },
  { name: "`./fixline --help` (the launcher: Node lookup + freshness check + compiled)", run: () => timed("bash", ["./fixline", "--help"]) },
  { name: "`fixline start --role webhook` to healthy, tsx (before)", run: () => startToHealthy([...tsxMain, "start", "--role", "webhook"]) },
  { name: "`fixline start --role webhook` to healthy, compiled", run: () => startToHealthy([...compiledMain, "start", "--role", "webhook"]) },
];
const samples = variants.map(() => [] as number[]);
await variants[0]!.run(); // warm the page cache for node itself
for (let round = 0; round < rounds; round++) {
  for (const [i, variant] of variants.entries()) samples[i]!.push(await variant.run());
}

const median = (list: number[]) => percentile(list, 0.5);
const baseline = median(samples[0]!);
console.log(`${rounds} rounds, variants interleaved; medians of wall time.\n`);
console.log("| run | wall ms | × node -e 0 |");
console.log("|---|---:|---:|");
for (const [i, variant] of variants.entries()) {
  const wall = median(samples[i]!);
  console.log(`| ${variant.name} | ${fmt(wall, 0)} | ${fmt(wall / baseline, 1)} |`);
}
const help = median(samples[2]!);
const helpBefore = median(samples[1]!);
const startBefore = median(samples[4]!);
const startAfter = median(samples[5]!);
console.log("");
console.log("| check | result | goal |");
console.log("|---|---|---|");
console.log(`| \`fixline --help\` compiled, wall | ${fmt(help, 0)} ms (${fmt(helpBefore / help, 1)}× faster than tsx) | < 300 ms ${help < 300 ? "(met)" : "(**not met**)"} |`);
console.log(`| \`fixline start\` to healthy, compiled vs tsx | ${fmt(startAfter, 0)} ms vs ${fmt(startBefore, 0)} ms (${fmt(startBefore / startAfter, 1)}×) | faster |`);
