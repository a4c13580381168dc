export {
  jobCatalog,
  queueNames,
  notifyEvents,
  notifyJobSchema,
  failedDetailsSchema,
  commandReplySchema,
  parseJob,
  isQueueName,
  pooledQueues,
  isPooledQueue,
  poolQueueName,
  type PooledQueue,
  type FailedDetails,
  type CommandReply,
  type NotifyDetails,
  type NotifyJob,
  type QueueName,
  type JobData,
  type JobInput,
  type JobRequest,
  type StoredJobData,
  type NotifyEvent,
} from "./job-catalog";
export { createRedis, pingRedis } from "./redis-connection";
export { createJobQueues, type JobQueues, type JobQueuesOptions } from "./job-queues";
export { createWorker, setWorkerDefaults, type FixlineWorker, type JobContext, type JobHandler, type CreateWorkerOptions } from "./create-worker";
export { onShutdownSignal, decideOnSignal } from "./shutdown";
export { updateQueueLengthMetric } from "./queue-metrics";
export { awaitedQueue, noWorkerMessage, createPoolWaitCheck, type PoolWaitCheck } from "./pool-wait";
export { createCircuitBreakers, setBreakerPolicy, breakerDelayMs, type CircuitBreakers, type BreakerState, type BreakerPolicy } from "./circuit-breaker";
