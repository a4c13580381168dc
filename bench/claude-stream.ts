/**
 * Claude runner benchmark: how much the fake CLI and the runner's output path cost, measured side by side
 * with a baseline in the same run (ratios, never absolute thresholds; this is a script, not a test).
 *
 *  1. spawn-to-first-line latency of the fake CLI vs `node -e` printing one line (p50/p95, ratio): the
 *     fake's start-up is what every agent test pays per Claude run.
 *  2. lines/s from a flooding fake CLI through the runner's path (split, parse, transcript, pipelined
 *     XADD MAXLEN ~) vs raw pipelined XADD of the same lines with no process and no parsing.
 *
 * Usage: tsx bench/claude-stream.ts [--runs 20] [--mb 20]   (REDIS_URL, default redis://127.0.0.1:6379)
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { Redis } from "ioredis";
import { createRedactor, silentLogger } from "@fixline/core";
// The root package does not depend on @fixline/claude (yet), so the bench reaches it by path.
import { createRunOutputSink, parseStreamLine, splitLines } from "@fixline/claude";
import { createFakeClaude, fakeScenarios } from "@fixline/testing";

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" }, mb: { type: "string", default: "20" } } });
const runs = Number(values.runs);
const floodBytes = Number(values.mb) * 1024 * 1024;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const streamArgs = ["-p", "--output-format", "stream-json", "--verbose"];

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timeToFirstLine(bin: string, args: string[], input: string, env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = execa(bin, args, { input, env, extendEnv: false, buffer: false, reject: false });
  let first = Number.NaN;
  for await (const item of splitLines(child.stdout, 1024 * 1024)) {
    if ("line" in item && Number.isNaN(first)) first = performance.now() - started;
  }
  await child;
  return first;
}

const root = await mkdtemp(join(tmpdir(), "fixline-bench-claude-"));
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
const prefix = `bench-${randomBytes(4).toString("hex")}`;
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root };
try {
  // 1. Start-up latency.
  const fake = await createFakeClaude({ scenario: fakeScenarios.success("hi"), tmpRoot: root });
  const fakeSamples: number[] = [];
  const baseSamples: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved so machine noise hits both sides alike.
    baseSamples.push(await timeToFirstLine(process.execPath, ["-e", "console.log('{\"type\":\"system\"}')"], "", env));
    fakeSamples.push(await timeToFirstLine(fake.bin, streamArgs, "hello", env));
  }
  const f50 = percentile(fakeSamples, 50);
  const f95 = percentile(fakeSamples, 95);
  const b50 = percentile(baseSamples, 50);
  const b95 = percentile(baseSamples, 95);
  console.log(`spawn-to-first-line over ${runs} runs`);
  console.log(`  fake claude   p50 ${f50.toFixed(1)} ms   p95 ${f95.toFixed(1)} ms`);
  console.log(`  node -e       p50 ${b50.toFixed(1)} ms   p95 ${b95.toFixed(1)} ms`);
  console.log(`  ratio         p50 ${(f50 / b50).toFixed(2)}x   p95 ${(f95 / b95).toFixed(2)}x`);

  // 2. Throughput into the Redis stream.
  await fake.setScenario(fakeScenarios.flood(floodBytes));
  const taskId = `${prefix}-runner`;
  const sink = await createRunOutputSink({ redis, taskId, runId: "bench", phase: "red", transcriptPath: join(root, "transcript.jsonl"), logger: silentLogger(), redactor: createRedactor([]) });
  let lines = 0;
  const runnerStart = performance.now();
  const child = execa(fake.bin, streamArgs, { input: "flood", env, extendEnv: false, buffer: false, reject: false });
  const sample: string[] = [];
  for await (const item of splitLines(child.stdout, 1024 * 1024)) {
    if (!("line" in item)) continue;
    const parsed = parseStreamLine(item.line);
    await sink.append(parsed.kind === "message" ? parsed.message.type : "invalid", item.line);
    if (sample.length < 200) sample.push(item.line);
    lines++;
  }
  await child;
  await sink.close({ outcome: "ok" });
  const runnerSeconds = (performance.now() - runnerStart) / 1000;

  // Baseline: the same number of lines, already in memory, pipelined straight into XADD.
  const rawKey = `task:${prefix}-raw:output`;
  const rawStart = performance.now();
  for (let sent = 0; sent < lines; ) {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 200 && sent < lines; i++, sent++) pipeline.xadd(rawKey, "MAXLEN", "~", 5000, "*", "type", "assistant", "line", sample[sent % sample.length] ?? "");
    await pipeline.exec();
  }
  const rawSeconds = (performance.now() - rawStart) / 1000;
  const runnerRate = lines / runnerSeconds;
  const rawRate = lines / rawSeconds;
  console.log(`stream ${lines} lines (${values.mb} MB) into Redis`);
  console.log(`  fake claude -> runner sink   ${Math.round(runnerRate)} lines/s   ${(floodBytes / 1024 / 1024 / runnerSeconds).toFixed(1)} MB/s`);
  console.log(`  raw pipelined XADD           ${Math.round(rawRate)} lines/s`);
  console.log(`  ratio (runner / raw)         ${(runnerRate / rawRate).toFixed(2)}x`);
  await redis.del(`task:${taskId}:output`, rawKey);
} finally {
  redis.disconnect();
  await rm(root, { recursive: true, force: true });
}
