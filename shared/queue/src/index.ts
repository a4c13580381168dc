export { jobCatalog, queueNames, notifyEvents, failedDetailsSchema, isQueueName, pooledQueues, isPooledQueue, poolQueueName, type PooledQueue, type FailedDetails, type QueueName, type JobData, type JobRequest, type NotifyEvent } from "./job-catalog";
export { createRedis, describeRedis, pingRedis, redisConnectionOptions } from "./redis-connection";
export { createJobQueues, type JobQueues, type JobQueuesOptions } from "./job-queues";
export { createWorker, setWorkerDefaults, type FixlineWorker, type JobContext, type JobHandler, type CreateWorkerOptions } from "./create-worker";
export { onShutdownSignal, decideOnSignal } from "./shutdown";
export { updateQueueLengthMetric } from "./queue-metrics";
export { awaitedQueue, noWorkerMessage, createPoolWaitCheck, type PoolWaitCheck } from "./pool-wait";
export { createCircuitBreakers, setBreakerPolicy, breakerDelayMs, type CircuitBreakers, type BreakerState, type BreakerPolicy } from "./circuit-breaker";
