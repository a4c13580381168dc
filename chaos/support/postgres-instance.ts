import { execFile } from "node:child_process";
import { chmod, chown, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { startProcess, type ManagedProcess } from "./child-process";
import { freePort } from "./free-port";

const run = promisify(execFile);

export interface PostgresInstance {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Stops the server (immediate shutdown: every connection is cut, like a crash or a failover). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves when it accepts queries. */
  start(): Promise<void>;
}

async function binDir(): Promise<string> {
  const versions = (await readdir("/usr/lib/postgresql")).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql");
  return join("/usr/lib/postgresql", versions[0]!, "bin");
}

/** Runs as the postgres user when we are root (initdb and postgres refuse to run as root). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

/**
 * A private PostgreSQL cluster on a free port in a temp directory, so chaos tests can stop and restart it
 * without touching the machine's shared server on :5432.
 */
export async function startPostgresInstance(options: { dir: string }): Promise<PostgresInstance> {
  const bin = await binDir();
  const port = await freePort();
  const dataDir = join(options.dir, `pg-${port}`);
  await mkdir(dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(options.dir, Number(stdout.trim()), Number(gid.trim()));
    await chown(dataDir, Number(stdout.trim()), Number(gid.trim()));
    await chmod(options.dir, 0o755);
  }
  const [initCmd, initArgs] = asPostgres(join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  await run(initCmd, initArgs);
  const [cmd, args] = asPostgres(join(bin, "postgres"), ["-D", dataDir, "-p", String(port), "-k", dataDir, "-h", "127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"]);
  let server: ManagedProcess | undefined;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  async function ready(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.query("SELECT 1");
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`private Postgres on ${port} did not come up: ${(error as Error).message}\n${server?.output().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        await client.end().catch(() => {});
      }
    }
  }

  const instance: PostgresInstance = {
    url,
    port,
    async start() {
      server = startProcess(cmd, args, { logFile: join(options.dir, `pg-${port}.log`) });
      await ready();
    },
    async stop() {
      if (!server?.alive()) return;
      // SIGQUIT: immediate shutdown, connections dropped without goodbye (recovery runs on the next start).
      server.killGroup("SIGQUIT");
      await server.exited;
    },
  };
  await instance.start();
  return instance;
}
