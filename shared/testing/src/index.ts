export { infrastructureUrls, type InfrastructureUrls } from "./infrastructure-urls";
export { createTestDatabase, type TestDatabase } from "./test-database";
export { createTestRedis, deleteKeys, type TestRedis } from "./test-redis";
export { waitFor } from "./wait-for";
export * from "./fake-apis";
export * from "./fake-claude";
export * from "./sample-repos";
export { rejectionOf } from "./rejection-of";
export { testGit } from "./test-git";
