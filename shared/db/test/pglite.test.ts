import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isFixlineError } from "@fixline/core";
import { createDb, getTask, ingestSignal, migrateToLatest, transition } from "@fixline/db";

const dir = mkdtempSync(join(tmpdir(), "fixline-pglite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("embedded PGlite (DATABASE_URL unset)", () => {
  it("runs the same migrations and the same guarded transitions", async () => {
    const db = await createDb({ pgliteDir: join(dir, "db") });
    expect(await migrateToLatest(db)).toContain("0001_initial");
    const created = await ingestSignal(db, {
      delivery: { source: "jira", deliveryId: "w-1", event: "jira:issue_created" },
      source: "jira",
      sourceKey: "jira:ED-1",
      repo: "acme/shop",
      title: "Login fails",
      context: { jira: { key: "ED-1" } },
    });
    expect(created.outcome).toBe("created");
    expect((await ingestSignal(db, { delivery: { source: "jira", deliveryId: "w-1", event: "x" }, source: "jira", sourceKey: "jira:ED-1", repo: "acme/shop", title: "x", context: {} })).outcome).toBe("duplicate");
    await transition(db, { taskId: created.taskId!, expected: "received", event: { type: "plan_started" } });
    const error = await transition(db, { taskId: created.taskId!, expected: "received", event: { type: "plan_started" } }).catch((e: unknown) => e);
    expect(isFixlineError(error, "STALE_STATE")).toBe(true);
    expect((await getTask(db, created.taskId!))?.state).toBe("planning");
    await db.destroy();
    // Data survives a restart of the embedded database.
    const reopened = await createDb({ pgliteDir: join(dir, "db") });
    expect(await migrateToLatest(reopened)).toEqual([]);
    expect((await getTask(reopened, created.taskId!))?.state).toBe("planning");
    await reopened.destroy();
  });
});
