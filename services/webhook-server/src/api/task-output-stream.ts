import { z } from "zod";
import { setTimeout as sleep } from "node:timers/promises";
import { apiError, outputEventSchema, redactorFor, taskIdParams, taskStreamQuery, type OutputEvent, type StreamStateEvent, type TaskState } from "@fixline/core";
import { findTaskByIdPrefix, getTask } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import { sendApiError } from "./api-errors";
import { describeOutputEntry } from "./describe-output-entry";
import type { ZodApi } from "./openapi-document";

/** The Redis stream the Claude runner and the executor append to (see @fixline/claude taskOutputStreamKey). */
export const taskOutputKey = (taskId: string): string => `task:${taskId}:output`;

/** States in which nothing more will be written until a person acts: the stream says `end` and closes. */
export const streamEndStates: readonly TaskState[] = ["completed", "failed", "rejected", "cancelled"];

export interface OutputStreamOptions {
  /** How long to wait before polling an idle stream again. */
  pollMs?: number;
  /** How often the task's state is re-read. */
  stateCheckMs?: number;
  heartbeatMs?: number;
}

const streamIdPattern = /^\d+-\d+$/;

/**
 * GET /api/tasks/:id/stream: Server-Sent Events from `task:<id>:output`. Each event's id is the Redis entry
 * id, so a client that reconnects with Last-Event-ID gets exactly what it missed. Polls with non-blocking
 * XREAD on the shared connection rather than holding a blocking connection per viewer.
 */
export async function taskOutputStreamRoute(app: ZodApi, deps: AppDeps, options: OutputStreamOptions = {}): Promise<void> {
  const pollMs = options.pollMs ?? 200;
  const stateCheckMs = options.stateCheckMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const open = new Set<() => void>();
  // Open streams would keep app.close() waiting for ever.
  app.addHook("preClose", async () => {
    for (const stop of open) stop();
  });

  const schema = {
    summary: "Live output as Server-Sent Events (events: output, state, end); resumable with Last-Event-ID",
    tags: ["tasks"],
    params: taskIdParams,
    querystring: taskStreamQuery,
    headers: z.looseObject({ "last-event-id": z.string().optional().describe("The id of the last event received: the stream resumes after it") }),
    response: {
      200: {
        description: "text/event-stream; `output` data is an OutputEvent: {id, run, phase, items[]} of readable items",
        content: { "text/event-stream": { schema: outputEventSchema } },
      },
      400: apiError("Malformed Last-Event-ID"),
      401: apiError("Missing or wrong credential"),
      404: apiError("Unknown task"),
    },
  };
  app.get("/api/tasks/:id/stream", { schema }, async (request, reply) => {
    const task = await findTaskByIdPrefix(deps.db, request.params.id);
    if (!task) return sendApiError(reply, 404, "TASK_NOT_FOUND", `No task ${request.params.id}; fixline tasks lists them.`);
    const resumeFrom = request.headers["last-event-id"] ?? request.query.lastEventId;
    if (resumeFrom !== undefined && (typeof resumeFrom !== "string" || !streamIdPattern.test(resumeFrom))) {
      return sendApiError(reply, 400, "PAYLOAD_MALFORMED", "Last-Event-ID: must be an id this stream sent (like 1700000000000-0)");
    }
    const key = taskOutputKey(task.id);
    const log = request.log.child({ taskId: task.id });
    let lastId = resumeFrom ?? "0";

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 2000\n\n");

    const abort = new AbortController();
    const stop = () => abort.abort();
    open.add(stop);
    res.on("close", stop);
    const redactor = redactorFor(deps.config);
    // Every event passes the outbound redactor (issue 14), whatever the writers put into the stream.
    // The event names and their data are the API contract's (OutputEvent, StreamStateEvent in @fixline/core).
    function send(event: "output", data: OutputEvent, id: string): void;
    function send(event: "state" | "end", data: StreamStateEvent): void;
    function send(event: string, data: unknown, id?: string): void {
      if (!abort.signal.aborted) res.write(`${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(redactor.redactDeep(data))}\n\n`);
    }

    /** Sends what is new; returns how many entries were read. */
    const drain = async (): Promise<number> => {
      const result = (await deps.redis.xread("COUNT", 200, "STREAMS", key, lastId)) as Array<[string, Array<[string, string[]]>]> | null;
      const entries = result?.[0]?.[1] ?? [];
      for (const [id, flat] of entries) {
        const fields: Record<string, string> = {};
        for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
        lastId = id;
        const items = describeOutputEntry(fields);
        const output: OutputEvent = { id, run: fields.run ?? null, phase: fields.phase ?? null, items };
        if (items.length > 0) send("output", output, id);
      }
      return entries.length;
    };

    // `follow=false` (fixline logs without --follow): what is there now, then `end`.
    const follow = request.query.follow !== "false";
    let state: TaskState | undefined;
    let lastStateCheck = 0;
    let lastWrite = Date.now();
    try {
      while (!abort.signal.aborted) {
        let read = 0;
        try {
          read = await drain();
          if (read > 0) lastWrite = Date.now();
          if (Date.now() - lastStateCheck >= stateCheckMs) {
            lastStateCheck = Date.now();
            const current = (await getTask(deps.db, task.id))?.state;
            if (current && current !== state) {
              state = current;
              send("state", { state });
              lastWrite = Date.now();
            }
            if (current && (streamEndStates.includes(current) || !follow)) {
              // Lines written just before the final transition are sent before `end`.
              while ((await drain()) > 0);
              send("end", { state: current });
              break;
            }
          }
          if (Date.now() - lastWrite >= heartbeatMs) {
            res.write(": keep-alive\n\n");
            lastWrite = Date.now();
          }
        } catch (error) {
          // Redis or Postgres briefly away: the viewer keeps its connection and we try again.
          log.warn({ err: (error as Error).message }, "live output stream read failed; retrying");
          await sleep(1000, undefined, { signal: abort.signal }).catch(() => {});
        }
        // A busy stream is read again at once; an idle one is polled.
        if (read === 0) await sleep(pollMs, undefined, { signal: abort.signal }).catch(() => {});
      }
    } finally {
      open.delete(stop);
      res.end();
    }
  });
}
