/** The permission levels Fixline distinguishes; `@agent` commands need admin or write. */
export type RepoPermission = "admin" | "write" | "read" | "none";

/**
 * Folds GitHub's role names into our levels: maintain can merge, so it is write; triage cannot push,
 * so it is read. Custom organisation roles we do not know are treated as read (least privilege).
 */
export function toRepoPermission(role: string | null | undefined): RepoPermission {
  switch (role) {
    case "admin":
      return "admin";
    case "maintain":
    case "write":
    case "push":
      return "write";
    case "triage":
    case "read":
    case "pull":
      return "read";
    case "none":
    case null:
    case undefined:
    case "":
      return "none";
    default:
      return "read";
  }
}

/** Whether a permission may run `@agent` commands. */
export function canCommand(permission: RepoPermission): boolean {
  return permission === "admin" || permission === "write";
}
