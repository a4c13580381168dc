export { infrastructureUrls, type InfrastructureUrls } from "./infrastructure-urls";
export { createTestDatabase, type TestDatabase } from "./test-database";
export { createTestRedis, type TestRedis } from "./test-redis";
// For test packages that do not depend on @fixline/queue themselves.
export { deleteKeysMatching } from "@fixline/queue";
export { waitFor } from "./wait-for";
export * from "./fake-apis";
export * from "./fake-claude";
export * from "./sample-repos";
export { rejectionOf } from "./rejection-of";
export { sandboxedProcessAlive } from "./sandboxed-process";
export { testGit } from "./test-git";
export { startTestPgbouncer, type TestPgbouncer } from "./test-pgbouncer";
export { freePort } from "./free-port";
export { startTestRedisCluster, type TestRedisCluster } from "./test-redis-cluster";
