import type { Cluster, Redis } from "ioredis";
import type { Logger, Redactor } from "@fixline/core";

export type LivePhase = "setup" | "hook" | "test";

/** The task's live output stream, shared with the Claude runner (see @fixline/claude taskOutputStreamKey). */
export function taskOutputKey(taskId: string): string {
  return `task:${taskId}:output`;
}

export interface LiveOutput {
  line(text: string): void;
  /** Sends what is pending; resolves when Redis has it (or gave up). */
  flush(): Promise<void>;
}

export interface LiveOutputOptions {
  redis: Redis | Cluster | undefined;
  taskId: string;
  phase: LivePhase;
  logger: Logger;
  /** The outbound redactor: a command line that prints a secret reaches the live log as [redacted]. */
  redactor: Redactor;
  maxLen?: number;
  flushIntervalMs?: number;
  batchSize?: number;
}

/**
 * Appends command output to `task:<id>:output` as `{"type":"fixline","kind":"log",...}` lines, the shape the
 * dashboard and `fixline logs --follow` already render for agent output. Lines are batched into pipelines;
 * Redis failing never fails setup or tests (the tail still goes into errors and results).
 */
export function createLiveOutput(options: LiveOutputOptions): LiveOutput {
  const { redis, logger } = options;
  const key = taskOutputKey(options.taskId);
  const maxLen = options.maxLen ?? 5000;
  const flushIntervalMs = options.flushIntervalMs ?? 100;
  const batchSize = options.batchSize ?? 200;
  let pending: string[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!redis || pending.length === 0) {
      pending = [];
      return inFlight;
    }
    const batch = pending;
    pending = [];
    // One pipeline at a time keeps the stream in output order.
    inFlight = inFlight.then(async () => {
      const pipeline = redis.pipeline();
      for (const text of batch) {
        const line = JSON.stringify({ type: "fixline", kind: "log", phase: options.phase, text });
        pipeline.xadd(key, "MAXLEN", "~", maxLen, "*", "type", "fixline", "phase", options.phase, "line", line);
      }
      try {
        await pipeline.exec();
      } catch (error) {
        if (failures++ === 0) logger.warn({ err: error, key }, "cannot append command output to Redis; the live log misses it");
      }
    });
    return inFlight;
  };

  return {
    line(text) {
      if (!redis) return;
      pending.push(options.redactor.redact(text));
      if (pending.length >= batchSize) void flush();
      else timer ??= setTimeout(() => void flush(), flushIntervalMs);
    },
    flush,
  };
}
