import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "@fixline/testing";

/**
 * Issue 17: `fixline demo --keep` then Ctrl-C left a temp dir, a database and Redis keys behind, because the
 * terminal's one Ctrl-C arrived twice and the second found no listener. Here the real compiled CLI runs the demo,
 * gets two SIGINTs at once (as a relaying wrapper sends them), and must clean everything up and exit 0.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redis = new Redis(redisUrl);

async function demoPrefixes(): Promise<Set<string>> {
  const found = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", "fixline-demo-*", "COUNT", 1000);
    cursor = next;
    for (const key of keys) found.add(key.split(":")[0]!);
  } while (cursor !== "0");
  return found;
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

afterAll(() => redis.disconnect());

function startDemo(args: string[]) {
  const child = spawn(process.execPath, [join(root, "scripts", "fixline.mjs"), "demo", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, exit, out: () => out };
}

describe("fixline demo --keep, then Ctrl-C", () => {
  it("leaves no temp dir, database or Redis key, and exits 0", async () => {
    const before = await demoPrefixes();
    const child = spawn(process.execPath, [join(root, "scripts", "fixline.mjs"), "demo", "--keep", "--replay"], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      await waitFor(() => out.includes("Press Ctrl-C to stop."), { what: `the demo to finish and keep running (so far: ${out.slice(-400)})`, timeoutMs: 150_000 });
      const tempDir = /(\/[^\s]*fixline-demo-[A-Za-z0-9]+)/.exec(out)?.[1];
      const database = /Postgres database (\S+)/.exec(out)?.[1];
      const prefix = [...(await demoPrefixes())].find((p) => !before.has(p));
      expect(tempDir && existsSync(tempDir), out).toBe(true);
      expect(database && (await databaseExists(database)), out).toBe(true);
      expect(prefix).toBeDefined();
      expect(out).toContain("/#/tasks/");

      child.kill("SIGINT");
      child.kill("SIGINT");
      expect(await exit, out).toBe(0);
      expect(existsSync(tempDir!)).toBe(false);
      expect(await databaseExists(database!)).toBe(false);
      expect((await demoPrefixes()).has(prefix!)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 180_000);

  it("without --keep, Ctrl-C while the agent plans stops the demo and still removes everything", async () => {
    const before = await demoPrefixes();
    const demo = startDemo(["--replay"]);
    try {
      await waitFor(() => demo.out().includes("Planning: the agent reads the code"), { what: `the planning step (so far: ${demo.out().slice(-400)})`, timeoutMs: 150_000 });
      const tempDir = /(\/[^\s]*fixline-demo-[A-Za-z0-9]+)/.exec(demo.out())![1]!;
      const database = /Postgres database (\S+)/.exec(demo.out())![1]!;
      const prefix = [...(await demoPrefixes())].find((p) => !before.has(p));
      demo.child.kill("SIGINT");
      demo.child.kill("SIGINT");
      expect(await demo.exit, demo.out()).toBe(130);
      expect(demo.out()).toContain("interrupted (Ctrl-C)");
      expect(demo.out()).not.toContain("is ready for review");
      expect(existsSync(tempDir)).toBe(false);
      expect(await databaseExists(database)).toBe(false);
      if (prefix) expect((await demoPrefixes()).has(prefix)).toBe(false);
    } finally {
      if (demo.child.exitCode === null) demo.child.kill("SIGKILL");
    }
  }, 180_000);
});
