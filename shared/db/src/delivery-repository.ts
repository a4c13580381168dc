import type { DeliveryKey } from "./ingest-signal";
import type { DbOrTrx } from "./task-repository";

/** What became of a recorded delivery (a command applied or refused, a task closed), and for which task. */
export async function setDeliveryOutcome(db: DbOrTrx, key: DeliveryKey, outcome: string, taskId: string | null = null): Promise<void> {
  await db.updateTable("deliveries").set({ outcome, task_id: taskId }).where("source", "=", key.source).where("delivery_id", "=", key.deliveryId).execute();
}

/** Removes a delivery's record so the provider's redelivery counts again (the first attempt could not be decided). */
export async function forgetDelivery(db: DbOrTrx, key: DeliveryKey): Promise<void> {
  await db.deleteFrom("deliveries").where("source", "=", key.source).where("delivery_id", "=", key.deliveryId).execute();
}
