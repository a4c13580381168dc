import { listenForCancellations } from "./cancel-channel";
import { createWorker, type CreateWorkerOptions, type FixlineWorker, type JobContext } from "./create-worker";

export type AgentQueue = "planning" | "execution";

export interface AgentJobContext<Q extends AgentQueue> extends JobContext<Q> {
  /** The BullMQ job id: the owner of the job's lock, so a job recovered after a crash takes its own lock over. */
  jobId: string;
  /** False while BullMQ has attempts left. */
  finalAttempt: boolean;
}

/**
 * A worker for an agent queue: createWorker's contract plus the one cancellation listener, which aborts the
 * running job of a cancelled task (and with it Claude's process group).
 */
export function createAgentWorker<Q extends AgentQueue>(queue: Q, handler: (context: AgentJobContext<Q>) => Promise<unknown>, options: CreateWorkerOptions): FixlineWorker {
  const fixlineWorker = createWorker(
    queue,
    (context) =>
      handler({
        ...context,
        jobId: context.job.id ?? context.data.taskId,
        finalAttempt: context.job.attemptsMade + 1 >= (context.job.opts.attempts ?? 1),
      }),
    options,
  );
  const listener = listenForCancellations(
    options.connection,
    (taskId) => {
      const aborted = fixlineWorker.abortTask(taskId, "cancelled");
      if (aborted > 0) options.logger.info({ taskId, aborted, queue }, `cancelled a running ${queue} job`);
    },
    options.logger,
  );
  return {
    ...fixlineWorker,
    listening: listener.ready,
    async drain(graceMs) {
      await fixlineWorker.drain(graceMs);
      listener.close();
    },
  };
}
