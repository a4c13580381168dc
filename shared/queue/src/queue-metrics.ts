import { metrics } from "@fixline/observability";
import type { JobQueues } from "./job-queues";

/** Copies BullMQ job counts into ai_agent_queue_length{queue,state}, and the breakers into ai_agent_circuit_open. Called before each scrape. */
export async function updateQueueLengthMetric(queues: JobQueues): Promise<void> {
  await queues.breakers.states();
  const counts = await queues.counts();
  for (const [queue, states] of Object.entries(counts)) {
    for (const [state, value] of Object.entries(states)) metrics.queueLength.set({ queue, state }, value);
  }
}
