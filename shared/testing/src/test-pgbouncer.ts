import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { freePort } from "./free-port";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { infrastructureUrls } from "./infrastructure-urls";

export interface TestPgbouncer {
  /** The admin URL of the test Postgres, but through pgbouncer (same user, database and options). */
  url: string;
  /** Rewrites a URL of the test Postgres (e.g. a per-test database) to go through pgbouncer. */
  through(databaseUrl: string): string;
  stop(): Promise<void>;
}

const pgbouncerBin = "/usr/sbin/pgbouncer";

/**
 * A real pgbouncer (Debian's package, installed by .ci/run) in **transaction** pooling mode in front of the
 * test Postgres, as managed Postgres offerings and many Kubernetes setups run it: a server connection belongs
 * to a client only for one transaction, so session state (LISTEN, SET, named prepared statements) does not
 * survive between statements. Any database name is forwarded to the same server (`* =` fallback).
 */
export async function startTestPgbouncer(): Promise<TestPgbouncer> {
  const upstream = new URL(infrastructureUrls().databaseUrl);
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "fixline-pgbouncer-"));
  // pgbouncer refuses to run as root; it drops to postgres (-u), which must read the config and write the log.
  await chmod(dir, 0o777);
  const ini = [
    "[databases]",
    `* = host=${upstream.hostname} port=${upstream.port || "5432"}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    "auth_type = trust",
    `auth_file = ${join(dir, "users.txt")}`,
    "pool_mode = transaction",
    "max_client_conn = 500",
    "default_pool_size = 20",
    // Fixline's pools set application_name / search_path-free options; let pgbouncer accept what pg sends.
    "ignore_startup_parameters = extra_float_digits,options",
    `logfile = ${join(dir, "pgbouncer.log")}`,
    "",
  ].join("\n");
  await writeFile(join(dir, "users.txt"), `"${decodeURIComponent(upstream.username || "postgres")}" ""\n`);
  await writeFile(join(dir, "pgbouncer.ini"), ini);
  await chmod(join(dir, "pgbouncer.ini"), 0o644);
  await chmod(join(dir, "users.txt"), 0o644);
  const args = [...(process.getuid?.() === 0 ? ["-u", "postgres"] : []), join(dir, "pgbouncer.ini")];
  const child: ChildProcess = spawn(pgbouncerBin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once("error", resolve);
    child.once("spawn", () => resolve(undefined));
  });
  if (spawned) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`cannot start ${pgbouncerBin} (${spawned.message}): install Debian's pgbouncer package (.ci/run does)`);
  }
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
      throw new Error(`pgbouncer did not start on 127.0.0.1:${port}: ${stderr.trim() || `exit ${child.exitCode}`}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  const through = (databaseUrl: string) => {
    const url = new URL(databaseUrl);
    url.hostname = "127.0.0.1";
    url.port = String(port);
    return url.toString();
  };
  return {
    url: through(upstream.toString()),
    through,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((done) => setTimeout(done, 3_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

