import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createTerminalLogger } from "./terminal-logger";

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe("createTerminalLogger", () => {
  it("a terminal gets readable lines, still redacted", async () => {
    const out = collect();
    const logger = await createTerminalLogger({ level: "info", name: "fixline", isTTY: true, output: out.stream });
    logger.info({ token: "ghp_secretvalue", queue: "planning" }, "worker started");
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text()).toMatch(/INFO.*worker started/);
    expect(out.text()).toContain('queue: "planning"');
    expect(out.text()).not.toContain('{"level"');
    expect(out.text()).not.toContain("ghp_secretvalue");
  });

  it("anything else gets one JSON object per line", async () => {
    const out = collect();
    const logger = await createTerminalLogger({ level: "info", name: "fixline", isTTY: false, output: out.stream });
    logger.info({ token: "ghp_secretvalue" }, "worker started");
    await new Promise((resolve) => setImmediate(resolve));
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: "worker started", level: 30, token: "[redacted]" });
  });
});
