export interface LineSplitter {
  push(chunk: Buffer | string): void;
  /** Emits the last line if it had no newline. */
  end(): void;
}

/**
 * Cuts a byte stream into lines of at most `maxChars`, keeping at most that much of a partial line in memory:
 * the rest of an over-long line is dropped and the line is marked as cut, so a 50 MB minified bundle printed
 * by a test cannot grow the worker.
 */
export function createLineSplitter(onLine: (line: string) => void, maxChars: number): LineSplitter {
  let partial = "";
  let cut = false;
  const emit = () => {
    const line = partial.endsWith("\r") ? partial.slice(0, -1) : partial;
    onLine(cut ? `${line} …[line cut]` : line);
    partial = "";
    cut = false;
  };
  return {
    push(chunk) {
      const text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
      let start = 0;
      for (;;) {
        const newline = text.indexOf("\n", start);
        const piece = newline === -1 ? text.slice(start) : text.slice(start, newline);
        if (!cut) {
          const room = maxChars - partial.length;
          if (piece.length > room) {
            partial += piece.slice(0, Math.max(0, room));
            cut = true;
          } else partial += piece;
        }
        if (newline === -1) break;
        emit();
        start = newline + 1;
      }
    },
    end() {
      if (partial !== "" || cut) emit();
    },
  };
}
