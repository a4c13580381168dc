import { sql } from "kysely";
import { hashSecret } from "./session-repository";
import type { DbOrTrx } from "./task-repository";

export interface ApiTokenRecord {
  id: string;
  login: string;
  githubId: number | null;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Stores a personal API token by its SHA-256; the token itself is shown to its owner once and never kept. */
export async function createApiToken(db: DbOrTrx, token: { secret: string; login: string; githubId?: number | null; name: string }): Promise<ApiTokenRecord> {
  const row = await db
    .insertInto("api_tokens")
    .values({ token_hash: hashSecret(token.secret), login: token.login, github_id: token.githubId ?? null, name: token.name })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toToken(row);
}

/** The unrevoked token with this secret, stamping its last use; undefined for anything else. */
export async function useApiToken(db: DbOrTrx, secret: string): Promise<ApiTokenRecord | undefined> {
  const row = await db
    .updateTable("api_tokens")
    .set({ last_used_at: sql`now()` })
    .where("token_hash", "=", hashSecret(secret))
    .where("revoked_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  return row ? toToken(row) : undefined;
}

export async function listApiTokens(db: DbOrTrx, login: string): Promise<ApiTokenRecord[]> {
  const rows = await db.selectFrom("api_tokens").selectAll().where("login", "=", login).orderBy("created_at", "desc").execute();
  return rows.map(toToken);
}

/** Revokes one of `login`'s tokens; false when it is not theirs or already revoked. */
export async function revokeApiToken(db: DbOrTrx, login: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: sql`now()` })
    .where("id", "=", id)
    .where("login", "=", login)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function toToken(row: { id: string; login: string; github_id: string | null; name: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }): ApiTokenRecord {
  return {
    id: row.id,
    login: row.login,
    githubId: row.github_id === null ? null : Number(row.github_id),
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
