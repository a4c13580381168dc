import type { RedisClient } from "@fixline/queue";
import { FixlineError, type Config, type Logger } from "@fixline/core";
import { metrics } from "@fixline/observability";
import { createWorker, type FixlineWorker } from "@fixline/queue";
import { deliverHook } from "./deliver-hook";

/**
 * Delivers `hooks` jobs. A receiver that is down is retried with backoff (the job's attempts); the
 * delivery id stays the same on every try, so receivers deduplicate. A 4xx is final: logged and counted.
 */
export function createHooksWorker(deps: { config: Config; connection: RedisClient; prefix?: string; logger: Logger; fetchImpl?: typeof fetch }): FixlineWorker {
  return createWorker(
    "hooks",
    async ({ data, logger }) => {
      const hook = deps.config.file.hooks.find((h) => h.name === data.hook);
      if (!hook) {
        logger.warn({ hook: data.hook }, "hook no longer configured; dropping delivery");
        return "dropped";
      }
      try {
        const response = await deliverHook(hook, deps.config, data, deps.fetchImpl);
        if (response.status >= 300) {
          metrics.notifications.inc({ channel: "hook", outcome: "rejected" });
          logger.warn({ hook: hook.name, status: response.status, deliveryId: data.deliveryId }, "hook refused the delivery; not retrying");
          throw new FixlineError("INTEGRATION_REJECTED", `hook ${hook.name} answered ${response.status}`);
        }
        metrics.notifications.inc({ channel: "hook", outcome: "sent" });
        return "delivered";
      } catch (error) {
        if (error instanceof FixlineError && error.retryable) metrics.notifications.inc({ channel: "hook", outcome: "retry" });
        throw error;
      }
    },
    { connection: deps.connection, ...(deps.prefix ? { prefix: deps.prefix } : {}), logger: deps.logger, concurrency: 4 },
  );
}
