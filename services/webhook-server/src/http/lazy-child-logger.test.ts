import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@fixline/core";
import { lazyChildLogger } from "./lazy-child-logger";

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

describe("lazyChildLogger", () => {
  it("logs with the bindings at enabled levels, and never builds them for disabled ones", async () => {
    const { logger, lines } = capture("warn");
    let built = 0;
    const log = lazyChildLogger(logger, () => (built++, { reqId: "r-1", source: "sentry" }));
    log.info({ outcome: "created" }, "webhook handled");
    log.debug("nothing");
    expect(built).toBe(0);
    log.warn({ code: "SIGNATURE_INVALID" }, "webhook rejected");
    log.error("twice");
    await new Promise((resolve) => setImmediate(resolve));
    expect(built).toBe(1);
    expect(lines.map((l) => [l.msg, l.reqId, l.source, l.code])).toEqual([
      ["webhook rejected", "r-1", "sentry", "SIGNATURE_INVALID"],
      ["twice", "r-1", "sentry", undefined],
    ]);
  });

  it("keeps the parent's redaction for the bindings", async () => {
    const { logger, lines } = capture("info");
    const log = lazyChildLogger(logger, () => ({ headers: { authorization: "Bearer sekrit" } }));
    log.info("hello");
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.stringify(lines)).not.toContain("sekrit");
    expect(lines[0]?.msg).toBe("hello");
  });
});
