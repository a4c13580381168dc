import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRedis, type TestRedis } from "@fixline/testing";
import { deleteKeysMatching } from "@fixline/queue";

let r: TestRedis;
beforeAll(async () => {
  r = await createTestRedis();
});
afterAll(async () => {
  await r?.cleanup();
});

describe("deleteKeysMatching (real Redis)", () => {
  it("deletes 200,000 matching keys (what a webhook benchmark leaves), and only those", async () => {
    const pattern = `${r.prefix}-many:*`;
    for (let start = 0; start < 200_000; start += 10_000) {
      const pipeline = r.producer.pipeline();
      for (let i = start; i < start + 10_000; i++) pipeline.set(`${r.prefix}-many:${i}`, "1");
      await pipeline.exec();
    }
    await r.producer.set(`${r.prefix}-kept`, "1");
    expect(await deleteKeysMatching(r.producer, pattern, [`${r.prefix}-extra-missing`])).toBe(200_000);
    expect(await r.producer.exists(`${r.prefix}-many:0`, `${r.prefix}-many:199999`)).toBe(0);
    expect(await r.producer.get(`${r.prefix}-kept`)).toBe("1");
    await r.producer.del(`${r.prefix}-kept`);
  });
});
