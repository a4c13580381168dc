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

/**
 * A statement whose text starts with `/* prepared: <name> *\/` runs as a named prepared statement: parsed and
 * planned once per connection instead of every time. For the hot statements only (webhook ingest, issue 19:
 * parse and plan were half of the batch statement's time on an idle Postgres, 0.6–0.8 ms of 1.4–1.9 ms),
 * and only for statements with explicit result columns: a prepared `SELECT *` fails once a migration adds
 * a column under a running process.
 */
const preparedMarker = /^\/\* prepared: ([\w-]+) \*\//;

/**
 * Whether named statements survive from one use to the next on this pool's connections. A pooler in
 * transaction mode (pgbouncer before 1.21, or without max_prepared_statements) hands each statement to any
 * server connection, so a statement prepared on one is missing on the next (26000) or already there under
 * our name from another client (42P05). Either error comes before anything ran, so the statement is sent
 * again unnamed, and from then on every statement of the pool goes unnamed.
 */
interface PreparedState {
  enabled: boolean;
}

/** Sends marked statements of this connection by name (Kysely calls query(text, values) and awaits the promise). */
function prepareMarkedStatements(client: pg.PoolClient, state: PreparedState): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    const name = state.enabled && typeof text === "string" && Array.isArray(values) && callback === undefined ? preparedMarker.exec(text)?.[1] : undefined;
    if (!name) return query(text, values, callback);
    return query({ name, text, values }).catch((error: { code?: string }) => {
      if (error?.code !== "26000" && error?.code !== "42P05") throw error;
      state.enabled = false;
      return query(text, values);
    });
  };
}

export async function createDb(options: CreateDbOptions): Promise<FixlineDb> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10, connectionTimeoutMillis: 3_000 });
    const prepared: PreparedState = { enabled: true };
    pool.on("connect", (client) => prepareMarkedStatements(client, prepared));
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
