import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { startProcess, type ManagedProcess } from "./child-process";
import { freePort } from "./free-port";

export interface RedisInstance {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: a crash, not a polite shutdown). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory; resolves when it accepts connections. */
  start(): Promise<void>;
  running(): boolean;
}

/**
 * A private redis-server on a free port, so chaos tests can crash and restart it without touching the
 * machine's shared Redis. With `persistent`, every write is fsynced to an append-only file first, like the
 * docker-compose Redis (AOF): a restart keeps the queues.
 */
export async function startRedisInstance(options: { dir: string; persistent?: boolean }): Promise<RedisInstance> {
  const port = await freePort();
  const dataDir = join(options.dir, `redis-${port}`);
  await mkdir(dataDir, { recursive: true });
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dataDir, "--save", "", "--daemonize", "no", "--maxmemory-policy", "noeviction"];
  args.push(...(options.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]));
  let server: ManagedProcess | undefined;
  const instance: RedisInstance = {
    url: `redis://127.0.0.1:${port}`,
    port,
    running: () => server?.alive() ?? false,
    async start() {
      server = startProcess("redis-server", args, { logFile: join(options.dir, `redis-${port}.log`) });
      await server.waitForOutput(/Ready to accept connections/, 15_000);
    },
    async stop() {
      if (!server?.alive()) return;
      server.killGroup("SIGKILL");
      await server.exited;
    },
  };
  await instance.start();
  return instance;
}
