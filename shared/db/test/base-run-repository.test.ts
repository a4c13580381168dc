import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { baseRunKey, findBaseRun, pruneBaseRuns, recordBaseRun } from "@fixline/db";
import { createTestDatabase, type TestDatabase } from "@fixline/testing";

describe("base run repository (issue 19)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });
  const key = { repo: "acme/shop", baseCommit: "a".repeat(40), environmentHash: "e1", testCommand: "npm test" };

  it("records a run once: the first writer wins, the second is told it did not write", async () => {
    expect(await findBaseRun(database.db, key)).toBeUndefined();
    expect(await recordBaseRun(database.db, key, { exitCode: 0, tests: [{ name: "a", status: "passed" }] })).toBe(true);
    expect(await recordBaseRun(database.db, key, { exitCode: 1, tests: [] })).toBe(false);
    const found = await findBaseRun<{ exitCode: number; tests: unknown[] }>(database.db, key);
    expect(found?.run).toEqual({ exitCode: 0, tests: [{ name: "a", status: "passed" }] });
  });

  it("keys by every part: another environment, command, commit or repository is another run", async () => {
    for (const other of [{ environmentHash: "e2" }, { testCommand: "npm test -- --grep x" }, { baseCommit: "b".repeat(40) }, { repo: "evil/shop" }]) {
      expect(await findBaseRun(database.db, { ...key, ...other }), JSON.stringify(other)).toBeUndefined();
      expect(baseRunKey({ ...key, ...other })).not.toBe(baseRunKey(key));
    }
    // Parts cannot be shifted into one another to collide (the key hashes them as a list).
    expect(baseRunKey({ ...key, repo: "acme/shop", testCommand: "x y" })).not.toBe(baseRunKey({ ...key, repo: "acme/shop x", testCommand: "y" }));
  });

  it("prunes runs older than the given age, keeps the recent ones", async () => {
    const old = { ...key, baseCommit: "c".repeat(40) };
    await recordBaseRun(database.db, old, { exitCode: 0 });
    await database.db.updateTable("base_test_runs").set({ created_at: sql<Date>`now() - interval '40 days'` }).where("key", "=", baseRunKey(old)).execute();
    expect(await pruneBaseRuns(database.db, 30)).toBe(1);
    expect(await findBaseRun(database.db, old)).toBeUndefined();
    expect(await findBaseRun(database.db, key)).toBeDefined();
  });
});
