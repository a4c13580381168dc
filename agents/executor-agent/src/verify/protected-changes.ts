/**
 * A protected-path glob as a regular expression over repo-relative paths: `**` any depth (`**\/` also none),
 * `*` within one segment, `?` one character. Deliberately small: these are operator-written patterns such
 * as `.github/workflows/**` and `**\/jest.config.*`, matched against paths git printed.
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** `package.json#scripts.test` -> the file and the JSON path inside it; a plain glob has no key. */
export function splitProtectedEntry(entry: string): { glob: string; key: string[] | undefined } {
  const hash = entry.indexOf("#");
  return hash === -1 ? { glob: entry, key: undefined } : { glob: entry.slice(0, hash), key: entry.slice(hash + 1).split(".").filter(Boolean) };
}

export interface ProtectedChangesInput {
  /** Files the execution changed since the base commit. */
  changed: readonly string[];
  /** FIXLINE_CONFIG protectedPaths (globs, and `file#json.path` entries). */
  protectedPaths: readonly string[];
  /** The approved plan's Affected files: what a person agreed may change. */
  affected: readonly string[];
  /** For each `file#key` entry whose file changed: the value at the base and now (JSON-encoded, null when absent). */
  keyValues: Record<string, { before: string | null; now: string | null }>;
}

/**
 * The protected paths the change touched without the approved plan listing them (issue 15, property 2):
 * CI configuration, the test runner's configuration and the test script can each make a broken fix look
 * green. A file entry is allowed by listing the file (or a directory above it); a `file#key` entry only by
 * listing that exact entry, because a plan that touches package.json for a dependency did not approve a new
 * test script.
 */
export function protectedChanges(input: ProtectedChangesInput): string[] {
  const listed = (file: string) => input.affected.some((a) => a === file || (a.endsWith("/") && file.startsWith(a)));
  const hits: string[] = [];
  for (const entry of input.protectedPaths) {
    const { glob, key } = splitProtectedEntry(entry);
    const pattern = globToRegExp(glob);
    for (const file of input.changed.filter((f) => pattern.test(f))) {
      if (key) {
        const values = input.keyValues[`${file}#${key.join(".")}`];
        if (!values || values.before === values.now || input.affected.includes(`${file}#${key.join(".")}`)) continue;
        hits.push(`${file}#${key.join(".")}`);
      } else if (!listed(file)) hits.push(file);
    }
  }
  return [...new Set(hits)];
}

/** The JSON-encoded value at `key` in a JSON text; null when the text or the key is missing or unreadable. */
export function jsonValueAt(text: string | null, key: readonly string[]): string | null {
  if (text === null) return null;
  try {
    let value: unknown = JSON.parse(text);
    for (const part of key) {
      if (typeof value !== "object" || value === null) return null;
      value = (value as Record<string, unknown>)[part];
    }
    return value === undefined ? null : JSON.stringify(value);
  } catch {
    // An unreadable manifest where the base had a value is a change; where both are unreadable, none.
    return "(unreadable)";
  }
}
