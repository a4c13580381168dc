import type { RedisClient } from "./redis-connection";
import type { Logger } from "@fixline/core";

/**
 * The Redis pub/sub channel on which a cancellation publishes the task id. The protocol lives here alone
 * (issue 18: it was defined in the planner and the webhook server, and subscribed in two places): the command
 * side publishes with `publishCancellation`, each agent worker listens with `listenForCancellations`.
 */
export const cancelChannel = "fixline:cancel";

export async function publishCancellation(redis: RedisClient, taskId: string): Promise<void> {
  await redis.publish(cancelChannel, taskId);
}

export interface CancellationListener {
  /** Resolves once subscribed (or once the failure to subscribe is logged). */
  ready: Promise<void>;
  close(): void;
}

/**
 * Calls onCancel with each cancelled task id, on a duplicate of `connection` (a subscribed connection can do
 * nothing else). Subscribes in the background (a worker is created synchronously; `ready` says when it listens),
 * and a lost subscription is logged, never thrown.
 */
export function listenForCancellations(connection: RedisClient, onCancel: (taskId: string) => void, logger: Logger): CancellationListener {
  const subscriber = connection.duplicate();
  subscriber.on("error", () => {});
  subscriber.on("message", (channel: string, taskId: string) => {
    if (channel === cancelChannel) onCancel(taskId);
  });
  const ready = subscriber.subscribe(cancelChannel).then(
    () => undefined,
    (error: unknown) => logger.warn({ err: (error as Error).message }, "cannot subscribe to cancellations"),
  );
  return {
    ready,
    close() {
      subscriber.disconnect();
    },
  };
}
