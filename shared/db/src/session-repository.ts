import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { DbOrTrx } from "./task-repository";

export type SessionKind = "github" | "operator";

export interface SessionRecord {
  id: string;
  kind: SessionKind;
  /** The verified GitHub login; null for an operator session. */
  login: string | null;
  githubId: number | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Sessions are looked up by a hash of their secret, so the table alone signs nobody in. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export async function createSession(
  db: DbOrTrx,
  session: { secret: string; kind: SessionKind; login: string | null; githubId?: number | null; expiresAt: Date },
): Promise<SessionRecord> {
  const row = await db
    .insertInto("user_sessions")
    .values({ secret_hash: hashSecret(session.secret), kind: session.kind, login: session.login, github_id: session.githubId ?? null, expires_at: session.expiresAt })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSession(row);
}

/** The live session for this secret: not revoked and not expired (by the database's clock), or undefined. */
export async function findLiveSession(db: DbOrTrx, secret: string): Promise<SessionRecord | undefined> {
  const row = await db
    .updateTable("user_sessions")
    .set({ last_seen_at: sql`now()` })
    .where("secret_hash", "=", hashSecret(secret))
    .where("revoked_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
  return row ? toSession(row) : undefined;
}

/** Server-side sign-out: the cookie may live on in a browser, the session does not. */
export async function revokeSession(db: DbOrTrx, id: string): Promise<boolean> {
  const result = await db.updateTable("user_sessions").set({ revoked_at: sql`now()` }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Every live session of a login (e.g. after their access was removed). */
export async function revokeSessionsOf(db: DbOrTrx, login: string): Promise<number> {
  const result = await db.updateTable("user_sessions").set({ revoked_at: sql`now()` }).where("login", "=", login).where("revoked_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function toSession(row: { id: string; kind: string; login: string | null; github_id: string | null; created_at: Date; expires_at: Date }): SessionRecord {
  return {
    id: row.id,
    kind: row.kind === "operator" ? "operator" : "github",
    login: row.login,
    githubId: row.github_id === null ? null : Number(row.github_id),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
