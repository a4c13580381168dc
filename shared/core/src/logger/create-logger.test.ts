import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger";

describe("createLogger", () => {
  it("redacts tokens, authorization headers and payload bodies", () => {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const logger = createLogger({ destination });
    logger.info({ token: "ghp_abc", req: { headers: { authorization: "Bearer xyz" } }, body: { secret: 1 }, taskId: "t1" }, "hello");
    const out = lines.join("");
    expect(out).not.toContain("ghp_abc");
    expect(out).not.toContain("Bearer xyz");
    expect(out).not.toContain('"secret"');
    expect(out).toContain('"taskId":"t1"');
    expect(JSON.parse(out).msg).toBe("hello");
  });
});
