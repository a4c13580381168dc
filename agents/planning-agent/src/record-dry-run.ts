import type { Logger } from "@fixline/core";
import { appendWouldHaveSent, type FixlineDb, type WouldHaveSent } from "@fixline/db";

/**
 * Records an action a dry run held back (shown on the task in the API, dashboard and `fixline show`) and logs
 * it. A resumed job records the same action once: an identical record already on the task is not repeated.
 */
export async function recordDryRun(db: FixlineDb, taskId: string, record: WouldHaveSent, logger: Logger): Promise<void> {
  logger.info({ dryRun: true, channel: record.channel, action: record.action, target: record.target }, `dry run: would have sent ${record.summary}`);
  await appendWouldHaveSent(db, taskId, record, { once: true });
}
