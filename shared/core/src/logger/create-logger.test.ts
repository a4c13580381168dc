import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createRedactor } from "../redact/create-redactor";
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

describe("createLogger with a redactor", () => {
  it("removes configured secret values from messages, nested fields and error stacks, and token shapes without one", () => {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const secret = "s3cret-db-password-42";
    const logger = createLogger({ destination, redactor: createRedactor([secret]) }).child({ taskId: "t1" });
    logger.info({ output: { lines: [`connecting with ${secret}`] } }, `the agent printed ${secret}`);
    logger.error({ err: new Error(`boom ${secret}`) }, "failed");
    const out = lines.join("");
    expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

    const shapeLines: string[] = [];
    const plain = createLogger({ destination: new Writable({ write(chunk, _enc, cb) { shapeLines.push(String(chunk)); cb(); } }) });
    plain.info(`found ghp_${"a".repeat(36)} in the environment`);
    expect(shapeLines.join("")).not.toContain(`ghp_${"a".repeat(36)}`);
  });
});
