/** Where the demo writes: a terminal (spinner, colours) or a pipe / CI log (plain lines). */
export interface DemoOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressReporter {
  /** Starts a step: a spinner on a terminal, a `…` line elsewhere. */
  step(text: string): void;
  /** The live detail under the running step (task state, the agent's latest line). */
  detail(text: string): void;
  /** Ends the running step as done, with its elapsed time. */
  done(text?: string): void;
  fail(text: string): void;
  /** A line of its own (ends no step). */
  line(text?: string): void;
  stop(): void;
}

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/**
 * Progress for humans and for logs. On a terminal one line spins and is rewritten in place; in CI each
 * step and each new detail is its own line, so a log shows what happened in order without control codes.
 */
export function createProgressReporter(out: DemoOutput, options: { nowMs?: () => number } = {}): ProgressReporter {
  const now = options.nowMs ?? Date.now;
  const tty = out.isTTY === true;
  const green = (s: string) => (tty ? `\u001b[32m${s}\u001b[39m` : s);
  const red = (s: string) => (tty ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string) => (tty ? `\u001b[2m${s}\u001b[22m` : s);
  let current: { text: string; startedAt: number; detail: string } | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;

  const width = () => Math.max(40, (out.columns ?? 100) - 2);
  const clip = (s: string, reserved = 0) => {
    const room = width() - reserved;
    return s.length > room ? `${s.slice(0, Math.max(10, room - 1))}…` : s;
  };
  const render = () => {
    if (!tty || !current) return;
    // Clip the plain text, then colour it: cutting through an escape sequence would leave the terminal dimmed.
    const elapsed = seconds(now() - current.startedAt);
    const head = `${frames[frame % frames.length]} ${clip(current.text, elapsed.length + 3)} ${dim(elapsed)}`;
    out.write(`\r\u001b[2K${head}${current.detail ? `\n\u001b[2K  ${dim(clip(current.detail, 2))}\u001b[1A` : ""}`);
  };
  const clear = () => {
    if (tty) out.write("\r\u001b[2K\n\u001b[2K\u001b[1A");
  };
  const end = (mark: string, text: string | undefined) => {
    if (!current) return;
    if (timer) clearInterval(timer);
    timer = undefined;
    clear();
    out.write(`${mark} ${text ?? current.text} ${dim(`(${seconds(now() - current.startedAt)})`)}\n`);
    current = undefined;
  };

  return {
    step(text) {
      if (current) end(green("✔"), undefined);
      current = { text, startedAt: now(), detail: "" };
      if (tty) {
        timer = setInterval(() => {
          frame += 1;
          render();
        }, 80);
        timer.unref();
        render();
      } else out.write(`… ${text}\n`);
    },
    detail(text) {
      if (!current || text === current.detail) return;
      current.detail = text;
      if (tty) render();
      else out.write(`    ${text}\n`);
    },
    done(text) {
      end(green("✔"), text);
    },
    fail(text) {
      end(red("✖"), text);
    },
    line(text = "") {
      if (current && tty) clear();
      out.write(`${text}\n`);
      if (current && tty) render();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (current && tty) clear();
      current = undefined;
    },
  };
}
