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
export { deleteKeysMatching } from "./delete-keys";
export { createRedis, dataNodes, describeRedis, pingRedis, redisConnectionOptions, type RedisClient } from "./redis-connection";
export { createJobQueues, type JobQueues, type JobQueuesOptions } from "./job-queues";
export { createWorker, setWorkerDefaults, type FixlineWorker, type JobContext, type JobHandler, type CreateWorkerOptions } from "./create-worker";
export { onShutdownSignal, decideOnSignal } from "./shutdown";
export { updateQueueLengthMetric } from "./queue-metrics";
export { awaitedQueue, noWorkerMessage, createPoolWaitCheck, type PoolWaitCheck } from "./pool-wait";
export { createCircuitBreakers, setBreakerPolicy, breakerDelayMs, type CircuitBreakers, type BreakerState, type BreakerPolicy } from "./circuit-breaker";
export { acquireLock, type TaskLock, type AcquireLockOptions } from "./task-lock";
export { cancelChannel, publishCancellation, listenForCancellations, type CancellationListener } from "./cancel-channel";
export { runAgentJob, decideAfterError, type AgentJob, type AgentJobVerdict, type StepAside } from "./agent-job";
export { createAgentWorker, type AgentQueue, type AgentJobContext } from "./create-agent-worker";
