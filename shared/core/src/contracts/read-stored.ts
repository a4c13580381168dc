import type { z } from "zod";

/**
 * Reads a JSON column through its schema without ever failing the read: a stored value the schema rejects
 * (a row written by an older version, a hand edit) loses only the top-level keys that are wrong, and null
 * (how a write clears a key) reads as absent. Keys the schema does not name are dropped.
 */
export function readStored<S extends z.ZodObject>(schema: S, raw: unknown): z.infer<S> {
  const value: Record<string, unknown> = {};
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    for (const [key, field] of Object.entries(raw)) if (field !== null) value[key] = field;
  }
  const first = schema.safeParse(value);
  if (first.success) return first.data;
  for (const issue of first.error.issues) delete value[String(issue.path[0])];
  return schema.parse(value);
}
