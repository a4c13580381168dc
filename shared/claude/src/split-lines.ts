/** A complete line, or the size of one that was too long to keep (its bytes were read and dropped). */
export type SplitLine = { line: string } | { oversizedBytes: number };

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines holding at most `maxLineBytes` in memory. A longer line is consumed and
 * reported by size only, so one 2 MB tool output cannot balloon the worker. Back-pressure is the caller's:
 * the next chunk is not read until the consumer asks for the next line.
 */
export async function* splitLines(stream: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<SplitLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let discarding = false;
  let discarded = 0;
  for await (const chunk of stream) {
    let buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    while (buffer.length > 0) {
      const newline = buffer.indexOf(NEWLINE);
      const piece = newline === -1 ? buffer : buffer.subarray(0, newline);
      if (discarding) {
        discarded += piece.length;
      } else if (size + piece.length > maxLineBytes) {
        discarding = true;
        discarded = size + piece.length;
        parts = [];
        size = 0;
      } else {
        // Copy: the stream may reuse its chunk buffers.
        parts.push(Buffer.from(piece));
        size += piece.length;
      }
      if (newline === -1) break;
      if (discarding) {
        yield { oversizedBytes: discarded };
        discarding = false;
        discarded = 0;
      } else {
        yield { line: Buffer.concat(parts, size).toString("utf8") };
        parts = [];
        size = 0;
      }
      buffer = buffer.subarray(newline + 1);
    }
  }
  if (discarding) yield { oversizedBytes: discarded };
  else if (size > 0) yield { line: Buffer.concat(parts, size).toString("utf8") };
}
