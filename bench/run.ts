// `pnpm bench`: runs every benchmark script in turn (each measures Fixline against a baseline run side by
// side in the same process, and prints markdown), then writes BENCHMARKS.md with the machine described.
// Absolute times on a shared 2-core machine are noise; the ratios are the result.
import { cpus, totalmem, release } from "node:os";
import { existsSync, writeFileSync } from "node:fs";
import { execa } from "execa";

const scripts = [
  { file: "bench/webhook-ingest.ts", title: "Webhook ingest vs bare Fastify" },
  { file: "bench/claude-stream.ts", title: "Claude runner: spawn latency and stream throughput vs baselines" },
  { file: "bench/orchestration.ts", title: "Orchestration overhead, enqueue-to-spawn latency, throughput per executor count, peak RSS" },
  { file: "bench/environment-setup.ts", title: "Repository environment setup: cold vs warm dependency cache" },
  { file: "bench/cli-start.ts", title: "CLI start-up: tsx from sources vs the compiled bundle, beside node -e 0" },
  { file: "bench/sandbox-overhead.ts", title: "Sandbox start overhead per command vs a bare spawn" },
  { file: "bench/redactor.ts", title: "Outbound redactor on 1 MB of output" },
  { file: "bench/test-economy.ts", title: "Test economy: full-suite equivalents per task, cold and with a cached base" },
  // 3 × 1,000 tasks through the whole pipeline: over an hour on a shared 2-core machine (`tsx bench/load.ts --tasks 50` for a quick look).
  { file: "bench/load.ts", title: "Load run: 1,000 tasks across 1, 2 and 4 executor processes (queue lag, throughput, Postgres and Redis per task)", timeoutMinutes: 240 },
];
const only = process.argv.slice(2);

const sections: string[] = [];
for (const script of scripts) {
  if (only.length > 0 && !only.some((o) => script.file.includes(o))) continue;
  if (!existsSync(script.file)) {
    sections.push(`## ${script.title}\n\n_not run: ${script.file} is missing_\n`);
    continue;
  }
  process.stderr.write(`\n▶ ${script.file}\n`);
  const started = Date.now();
  const result = await execa(process.execPath, ["--import", "tsx", script.file], { reject: false, stderr: "inherit", env: { ...process.env, BENCH_MARKDOWN: "1" }, timeout: (script.timeoutMinutes ?? 15) * 60_000 });
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(String(result.stdout) + "\n");
  sections.push(`## ${script.title}\n\n${result.exitCode === 0 ? String(result.stdout).trim() : `_failed (exit ${result.exitCode})_\n\n\`\`\`\n${String(result.stdout).slice(-2000)}\n\`\`\``}\n\n_took ${seconds} s_\n`);
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.versions.node}`;
const doc = [
  "# Benchmarks",
  "",
  `Measured by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)} — ${machine}; Postgres and Redis on the same machine.`,
  "Every figure is taken side by side with its baseline in the same run; read the ratios, not the absolute times.",
  "",
  ...sections,
].join("\n");
if (only.length === 0) writeFileSync("BENCHMARKS.md", doc);
process.stderr.write(only.length === 0 ? "\nwrote BENCHMARKS.md\n" : "\n(partial run: BENCHMARKS.md not rewritten)\n");
