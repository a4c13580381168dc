import pg from "pg";
import { Redis } from "ioredis";

/**
 * Runs once before the integration suites. Makes sure real Postgres and Redis are reachable and tells
 * the developer precisely what to start when they are not. Worker processes inherit the env it sets.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<unknown>> = [];
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    if (await dockerEngineAvailable()) {
      // Fallback for developers elsewhere: throwaway containers. (No Docker engine on our CI machines.)
      const tc = await import("testcontainers");
      if (!process.env.DATABASE_URL) {
        const container = await new tc.GenericContainer("postgres:16-alpine")
          .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust" })
          .withExposedPorts(5432)
          .withWaitStrategy(tc.Wait.forLogMessage(/database system is ready to accept connections/, 2))
          .start();
        process.env.DATABASE_URL = `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
        stops.push(() => container.stop());
      }
      if (!process.env.REDIS_URL) {
        const container = await new tc.GenericContainer("redis:7-alpine").withExposedPorts(6379).start();
        process.env.REDIS_URL = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
        stops.push(() => container.stop());
      }
    } else {
      throw new Error(
        "DATABASE_URL and REDIS_URL are not set and no Docker engine is available for testcontainers.\n" +
          "Start Postgres and Redis (make test does this check for you), then: \n" +
          "  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379",
      );
    }
  }
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new Error(
      `Postgres at ${redact(process.env.DATABASE_URL!)} is not reachable (${(error as Error).message}). ` +
        "Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    );
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis at ${process.env.REDIS_URL} is not reachable (${(error as Error).message}). ` +
        'Start it: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis',
    );
  } finally {
    redis.disconnect();
  }
  return async () => {
    for (const stop of stops) await stop();
  };
}

async function dockerEngineAvailable(): Promise<boolean> {
  try {
    const { existsSync } = await import("node:fs");
    return existsSync("/var/run/docker.sock") || Boolean(process.env.DOCKER_HOST);
  } catch {
    return false;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@]+@/, "//$1:***@");
}
