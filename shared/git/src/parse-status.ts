export interface StatusEntry {
  path: string;
  /** Set for renames and copies: where the file came from. */
  origPath?: string;
  /** The staged state letter from `git status --porcelain` (M, A, D, R, C, U, ? or space). */
  index: string;
  /** The working-tree state letter. */
  worktree: string;
}

export interface WorkspaceStatus {
  clean: boolean;
  entries: StatusEntry[];
}

/** Parses `git status --porcelain=v1 -z`: `XY path\0`, and for renames `XY new\0old\0`. */
export function parseStatus(output: string): WorkspaceStatus {
  const fields = output.split("\0");
  const entries: StatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (!field || field.length < 4) continue;
    const index = field[0] ?? " ";
    const worktree = field[1] ?? " ";
    const entry: StatusEntry = { path: field.slice(3), index, worktree };
    if (index === "R" || index === "C") {
      entry.origPath = fields[i + 1] ?? "";
      i++;
    }
    entries.push(entry);
  }
  return { clean: entries.length === 0, entries };
}
