import { mkdirSync } from "node:fs";
import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { FixlineError } from "@fixline/core";
import type { Database } from "./schema";
import { migrationProvider } from "./migrations";

export type FixlineDb = Kysely<Database>;

export interface CreateDbOptions {
  /** Unset: an embedded PGlite database under pgliteDir, for single-process use. */
  databaseUrl?: string | undefined;
  pgliteDir?: string;
  /** Pool size for Postgres. */
  maxConnections?: number;
}

// bigint (int8) counters come back as strings by default; ours stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export async function createDb(options: CreateDbOptions): Promise<FixlineDb> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10, connectionTimeoutMillis: 3_000 });
    // An idle client losing its server (Postgres restart) must not crash the process.
    pool.on("error", () => {});
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const dir = options.pgliteDir ?? ".data/pglite";
  mkdirSync(dir, { recursive: true });
  // Loaded lazily: PGlite's WASM is only paid for when no DATABASE_URL is given.
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGliteDialect } = await import("kysely-pglite-dialect");
  const client = new PGlite(dir);
  return new Kysely<Database>({ dialect: new PGliteDialect(client) });
}

export async function migrateToLatest(db: FixlineDb): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new FixlineError("DB_UNAVAILABLE", `migration failed: ${(error as Error).message}`, { cause: error, retryable: false });
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** True when the database answers within the timeout (for /ready and doctor). */
export async function pingDb(db: FixlineDb, timeoutMs = 1_000): Promise<boolean> {
  try {
    await Promise.race([sql`SELECT 1`.execute(db), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), timeoutMs).unref())]);
    return true;
  } catch {
    return false;
  }
}

/** Maps connection-level failures to DB_UNAVAILABLE so callers can answer 503 and senders retry. */
export function isDbUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (!e) return false;
  if (typeof e.code === "string" && (e.code === "ECONNREFUSED" || e.code === "ECONNRESET" || e.code === "57P01" || e.code === "57P03" || e.code.startsWith("08"))) return true;
  return /connect|Connection terminated|timeout exceeded when trying to connect|the database system is (starting|shutting) up/i.test(e.message ?? "");
}
