/**
 * Where the real Postgres and Redis for tests are. DATABASE_URL / REDIS_URL win; when unset and a Docker
 * engine exists, testcontainers starts them; otherwise the error says exactly what to start.
 */
export interface InfrastructureUrls {
  databaseUrl: string;
  redisUrl: string;
}

export function infrastructureUrls(): InfrastructureUrls {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    throw new Error(
      "Integration tests need DATABASE_URL and REDIS_URL. Run them through `make test` (which points them at local Postgres " +
        "and Redis), or export them yourself, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379",
    );
  }
  return { databaseUrl, redisUrl };
}
