import { describe, expect, it } from "vitest";
import { splitLines, type SplitLine } from "./split-lines";

async function collect(chunks: string[], max: number): Promise<SplitLine[]> {
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk);
  }
  const out: SplitLine[] = [];
  for await (const item of splitLines(source(), max)) out.push(item);
  return out;
}

describe("splitLines", () => {
  it("joins lines split across chunks and splits chunks holding several lines", async () => {
    expect(await collect(['{"a":', '1}\n{"b":2}\n{"c"', ":3}"], 100)).toEqual([{ line: '{"a":1}' }, { line: '{"b":2}' }, { line: '{"c":3}' }]);
  });

  it("keeps multi-byte characters whole across chunk edges", async () => {
    const bytes = Buffer.from("Not logged in · Please run /login\n");
    async function* source() {
      yield bytes.subarray(0, 15);
      yield bytes.subarray(15);
    }
    const out: SplitLine[] = [];
    for await (const item of splitLines(source(), 100)) out.push(item);
    expect(out).toEqual([{ line: "Not logged in · Please run /login" }]);
  });

  it("drops an oversized line by size and goes on with the next", async () => {
    const big = "x".repeat(250);
    expect(await collect(["ok\n", big.slice(0, 100), big.slice(100), "\nafter\n"], 100)).toEqual([{ line: "ok" }, { oversizedBytes: 250 }, { line: "after" }]);
  });

  it("reports an oversized last line without a newline", async () => {
    expect(await collect(["y".repeat(30)], 10)).toEqual([{ oversizedBytes: 30 }]);
  });
});
