import type { DbOrTrx } from "./task-repository";

/**
 * Notify jobs are at-least-once; this ledger makes each message go out once. `claimNotification`
 * is called after a send succeeds; `wasNotified` before sending.
 */
export async function wasNotified(db: DbOrTrx, taskId: string, key: string, channel: string): Promise<{ externalId: string | null } | undefined> {
  const row = await db.selectFrom("notifications").select("external_id").where("task_id", "=", taskId).where("key", "=", key).where("channel", "=", channel).executeTakeFirst();
  return row ? { externalId: row.external_id } : undefined;
}

export async function markNotified(db: DbOrTrx, taskId: string, key: string, channel: string, externalId: string | null = null): Promise<void> {
  await db
    .insertInto("notifications")
    .values({ task_id: taskId, key, channel, external_id: externalId })
    .onConflict((oc) => oc.columns(["task_id", "key", "channel"]).doNothing())
    .execute();
}
