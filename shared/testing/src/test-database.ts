import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, migrateToLatest, type FixlineDb } from "@fixline/db";
import { infrastructureUrls } from "./infrastructure-urls";

export interface TestDatabase {
  db: FixlineDb;
  /** A URL for this database, for code under test that opens its own connections (relay LISTEN, child processes). */
  url: string;
  name: string;
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated Postgres database for one test file: created on the real server, dropped after.
 * Separate databases (not schemas) keep LISTEN/NOTIFY and sequences isolated too.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { databaseUrl } = infrastructureUrls();
  const name = `fixline_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const db = await createDb({ databaseUrl: url.toString(), maxConnections: 20 });
  await migrateToLatest(db);
  return {
    db,
    url: url.toString(),
    name,
    async destroy() {
      await db.destroy();
      const dropper = new pg.Client({ connectionString: databaseUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
