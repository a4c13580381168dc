import { setTimeout as sleep } from "node:timers/promises";
import { FixlineApiError } from "./fixline-api-error";
import type { FixlineClient } from "./fixline-client";
import type { OutputEvent, StreamStateEvent } from "@fixline/core";
import { renderOutputItem } from "./render-output-item";
import { colorState, type TerminalStyle } from "./terminal-style";

export interface LogsOutput {
  write(text: string): void;
  /** A terminal gets a spinner line; a pipe gets plain lines only. */
  isTTY: boolean;
  style: TerminalStyle;
}

export interface FollowOptions {
  follow: boolean;
  /** How often a dropped stream is retried before giving up. */
  reconnectAttempts?: number;
  reconnectDelayMs?: number;
  signal?: AbortSignal;
}

const spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/** States where nothing more will be written without a person: following stops there. */
const waitingStates = new Set(["awaiting_approval", "waiting_budget"]);

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

/**
 * Prints a task's live output as readable lines. With `follow`, keeps going (reconnecting with
 * Last-Event-ID if the connection drops) until the task ends or waits for a person; returns the last state.
 */
export async function followTaskLogs(client: FixlineClient, taskId: string, out: LogsOutput, options: FollowOptions): Promise<string> {
  const { style } = out;
  const { task } = await client.getTask(taskId);
  let state = task.state;
  let lines = 0;
  let lastEventId: string | undefined;
  const started = Date.now();
  let frame = 0;
  let spinnerShown = false;

  const clearSpinner = () => {
    if (spinnerShown) out.write("\r\x1b[2K");
    spinnerShown = false;
  };
  const drawSpinner = () => {
    if (!out.isTTY || !options.follow) return;
    frame = (frame + 1) % spinnerFrames.length;
    out.write(`\r\x1b[2K${style.cyan(spinnerFrames[frame]!)} ${colorState(style, state)} · ${lines} lines · ${elapsed(Date.now() - started)}`);
    spinnerShown = true;
  };
  const print = (text: string) => {
    clearSpinner();
    out.write(`${text}\n`);
    drawSpinner();
  };

  if (options.follow) print(style.dim(`Following ${task.shortId} (${task.repo}, ${state}). Ctrl-C to stop.`));
  const timer = out.isTTY && options.follow ? setInterval(drawSpinner, 100) : undefined;
  try {
    let attempts = 0;
    for (;;) {
      try {
        for await (const event of client.streamOutput(task.id, { follow: options.follow, ...(lastEventId ? { lastEventId } : {}), ...(options.signal ? { signal: options.signal } : {}) })) {
          attempts = 0;
          if (event.event === "output") {
            if (event.id) lastEventId = event.id;
            const { items } = JSON.parse(event.data) as OutputEvent;
            for (const item of items) {
              print(renderOutputItem(item, style));
              lines++;
            }
          } else if (event.event === "state") {
            const next = (JSON.parse(event.data) as StreamStateEvent).state;
            if (next !== state) print(style.bold(`── task is now ${colorState(style, next)} ──`));
            state = next;
            if (options.follow && waitingStates.has(state)) {
              print(`Plan ready for review${task.prUrl ? ` (${task.prUrl})` : ""}: fixline approve ${task.shortId}   or   fixline reject ${task.shortId} "<feedback>"`);
              return state;
            }
          } else if (event.event === "end") {
            state = (JSON.parse(event.data) as StreamStateEvent).state;
            if (options.follow) print(style.bold(`── task ${colorState(style, state)} ──`));
            if (state === "failed") {
              // The reason belongs where the follower is looking (issue 17: a task failed with no word why).
              const ended = (await client.getTask(task.id)).task;
              if (ended.errorCode) print(style.red(`${ended.errorCode}: ${ended.errorMessage ?? ""}`));
            }
            return state;
          }
        }
        // The server closed without `end`: a restart or a proxy timeout; resume where we were.
        if (!options.follow) return state;
      } catch (error) {
        if (options.signal?.aborted) return state;
        if (!options.follow || (error instanceof FixlineApiError && error.exitCode === 1)) throw error;
        if (++attempts > (options.reconnectAttempts ?? 30)) throw error;
        if (attempts === 1) print(style.yellow(`connection lost (${(error as Error).message}); reconnecting…`));
      }
      await sleep(options.reconnectDelayMs ?? 1000, undefined, options.signal ? { signal: options.signal } : undefined).catch(() => {});
      if (options.signal?.aborted) return state;
    }
  } finally {
    if (timer) clearInterval(timer);
    clearSpinner();
  }
}
