import { metrics } from "@fixline/observability";
import type { JobQueues } from "./job-queues";

/** Copies BullMQ job counts into ai_agent_queue_length{queue,state}. Called before each scrape. */
export async function updateQueueLengthMetric(queues: JobQueues): Promise<void> {
  const counts = await queues.counts();
  for (const [queue, states] of Object.entries(counts)) {
    for (const [state, value] of Object.entries(states)) metrics.queueLength.set({ queue, state }, value);
  }
}
