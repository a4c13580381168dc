import type { Logger } from "@fixline/core";
import { appendWouldHaveSent, getTask, type FixlineDb, type WouldHaveSent } from "@fixline/db";

/**
 * Records an action a dry run held back (shown on the task in the API, dashboard and `fixline show`) and logs
 * it. A resumed job records the same action once: an identical record already on the task is not repeated.
 */
export async function recordDryRun(db: FixlineDb, taskId: string, record: WouldHaveSent, logger: Logger): Promise<void> {
  const task = await getTask(db, taskId);
  const earlier = Array.isArray(task?.data.wouldHaveSent) ? (task.data.wouldHaveSent as WouldHaveSent[]) : [];
  const same = earlier.some((r) => r.channel === record.channel && r.action === record.action && r.target === record.target && r.summary === record.summary);
  logger.info({ dryRun: true, channel: record.channel, action: record.action, target: record.target }, `dry run: would have sent ${record.summary}`);
  if (!same) await appendWouldHaveSent(db, taskId, record);
}
