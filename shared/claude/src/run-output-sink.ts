import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Cluster, Redis } from "ioredis";
import type { Logger, Redactor } from "@fixline/core";

/** The Redis stream of a task's live output (read by the SSE endpoint and `fixline logs`). */
export function taskOutputStreamKey(taskId: string): string {
  return `task:${taskId}:output`;
}

export interface RunOutputSinkOptions {
  redis: Redis | Cluster;
  taskId: string;
  runId: string;
  phase: string;
  transcriptPath: string;
  logger: Logger;
  /** The outbound redactor (redactorFor(config)): the transcript and the live stream never hold a secret. */
  redactor: Redactor;
  /** Approximate cap of the Redis stream (XADD MAXLEN ~). */
  maxLen?: number;
  /** Lines per pipeline round trip. */
  batchSize?: number;
  /** Bytes per pipeline round trip: long lines make smaller batches, so memory stays flat. */
  batchBytes?: number;
  /** Longest a line waits before it is sent, so viewers see it while the run goes on. */
  flushIntervalMs?: number;
  /** How long the stream is kept after the run (seconds). */
  retainSeconds?: number;
}

export interface RunOutputSink {
  /** Records one stdout line; resolves when there is room for more (back-pressure from Redis and the disk). */
  append(type: string, line: string): Promise<void>;
  /** Sends what is pending, adds an end marker to the stream and closes the transcript. */
  close(end: Record<string, string>): Promise<void>;
}

/**
 * Each line goes to the transcript file (the full record kept with the task) and to the task's Redis stream
 * (trimmed, for live viewing), in pipelined batches. Redis failing never fails the run: the transcript is
 * the record, and the live view is best effort.
 */
export async function createRunOutputSink(options: RunOutputSinkOptions): Promise<RunOutputSink> {
  const { redis, logger } = options;
  const key = taskOutputStreamKey(options.taskId);
  const maxLen = options.maxLen ?? 5000;
  const batchSize = options.batchSize ?? 200;
  const batchBytes = options.batchBytes ?? 256 * 1024;
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  await mkdir(dirname(options.transcriptPath), { recursive: true });
  const transcript: WriteStream = createWriteStream(options.transcriptPath, { flags: "a", highWaterMark: 256 * 1024 });
  let transcriptError: Error | undefined;
  transcript.on("error", (error) => {
    transcriptError ??= error;
    logger.error({ err: error, transcriptPath: options.transcriptPath }, "cannot write the Claude transcript");
  });

  let pending: Array<[string, string]> = [];
  let pendingBytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let redisFailures = 0;

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return inFlight;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    // One pipeline at a time keeps the stream in stdout order.
    inFlight = inFlight.then(async () => {
      const pipeline = redis.pipeline();
      for (const [type, line] of batch) {
        pipeline.xadd(key, "MAXLEN", "~", maxLen, "*", "run", options.runId, "phase", options.phase, "type", type, "line", line);
      }
      try {
        await pipeline.exec();
      } catch (error) {
        if (redisFailures++ === 0) logger.warn({ err: error, key }, "cannot append Claude output to Redis; the transcript still has it");
      }
    });
    return inFlight;
  };

  return {
    async append(type, raw) {
      // Redacted before either copy is written (issue 14): the agent's output is hostile text.
      const line = options.redactor.redact(raw);
      if (!transcriptError && !transcript.write(`${line}\n`)) {
        await new Promise<void>((done) => {
          const finish = () => {
            transcript.off("drain", finish);
            transcript.off("error", finish);
            done();
          };
          transcript.on("drain", finish);
          transcript.on("error", finish);
        });
      }
      pending.push([type, line]);
      pendingBytes += line.length;
      if (pending.length >= batchSize || pendingBytes >= batchBytes) {
        // Double buffering: this batch goes out while the next one fills; wait only for the one before it.
        const previous = inFlight;
        void flush();
        await previous;
      }
      else timer ??= setTimeout(() => void flush(), flushIntervalMs);
    },
    async close(end) {
      pending.push(["fixline.run_end", options.redactor.redact(JSON.stringify(end))]);
      await flush();
      try {
        await redis.expire(key, options.retainSeconds ?? 7 * 24 * 3600);
      } catch {
        // Already logged by flush if Redis is down.
      }
      await new Promise<void>((done) => transcript.end(() => done()));
    },
  };
}
