import { ingestSignal, type FixlineDb } from "@fixline/db";

let seeded = 0;

/**
 * A fresh `received` task on acme/shop, as ingest creates one, for the repository tests. Pass a source key to
 * make a task for a given source object (its delivery id follows from it); by default each call is a new one.
 */
export async function seedTask(db: FixlineDb, sourceKey = `sentry:seed-${++seeded}-${Date.now()}`): Promise<string> {
  const result = await ingestSignal(db, {
    delivery: { source: "sentry", deliveryId: `d-${sourceKey}`, event: "issue.created" },
    source: "sentry",
    sourceKey,
    repo: "acme/shop",
    title: "TypeError in cart",
    context: { sentry: { issueId: sourceKey } },
  });
  if (result.outcome !== "created") throw new Error(`expected a new task for ${sourceKey}, got ${result.outcome}`);
  return result.taskId;
}
