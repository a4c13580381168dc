import { secretForms } from "./secret-forms";
import { tokenShapes } from "./token-shapes";

/** What every published text is replaced with where a secret was. */
export const redactedMarker = "[redacted]";

/**
 * Values shorter than this are not matched by value. A 1–5 character "secret" would blank out every word it
 * happens to spell; 8 is the shortest any of our providers issues, and every token shape still applies.
 */
export const minimumSecretLength = 8;

export interface Redactor {
  /** The text with every configured secret (in any of its spellings) and every known token shape replaced. */
  redact(text: string): string;
  /** The same for every string inside plain objects and arrays (keys included); anything else is returned as is. */
  redactDeep<T>(value: T): T;
  /** Whether the text holds a configured secret value in any spelling (token shapes alone do not count). */
  containsSecret(text: string): boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Pure and built once: one regular expression of every secret's spellings (longest first, so a whole URL is
 * replaced before the password inside it) followed by the token shapes, so a text is scanned in one pass.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const literals = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < minimumSecretLength) continue;
    for (const form of secretForms(secret, minimumSecretLength)) literals.add(form);
  }
  const sorted = [...literals].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const valuePattern = sorted.length > 0 ? new RegExp(sorted.join("|")) : undefined;
  const all = new RegExp([...sorted, ...tokenShapes.map((shape) => shape.source)].join("|"), "g");

  const redact = (text: string): string => (text.length === 0 ? text : text.replace(all, redactedMarker));
  const redactDeep = <T>(value: T): T => {
    if (typeof value === "string") return redact(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item)) as T;
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[redact(key)] = redactDeep(item);
      return out as T;
    }
    return value;
  };
  return {
    redact,
    redactDeep,
    containsSecret: (text) => valuePattern !== undefined && valuePattern.test(text),
  };
}
