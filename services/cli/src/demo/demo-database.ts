import { randomBytes } from "node:crypto";
import pg from "pg";

export interface DemoDatabase {
  /** The URL of the new database (same server, user and options as the admin URL). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on the server DATABASE_URL points at, so the demo never touches an existing Fixline
 * database and leaves nothing behind. A separate database rather than a schema: LISTEN/NOTIFY (the outbox
 * signal) is per database.
 */
export async function createDemoDatabase(adminUrl: string, prefix = "fixline_demo"): Promise<DemoDatabase> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        // FORCE: a relay's LISTEN connection may still be closing.
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
