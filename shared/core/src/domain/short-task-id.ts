/** The first 8 characters of a task id: enough to be unique in practice and readable in branch names. */
export function shortTaskId(taskId: string): string {
  return taskId.replace(/-/g, "").slice(0, 8);
}

/** A branch-safe slug of a title, at most 40 characters. */
export function slugify(text: string, max = 40): string {
  const slug = text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/g, "");
  return slug || "task";
}

/** `fixline/<short-task-id>-<slug>`, the branch every task works on. */
export function taskBranchName(taskId: string, title: string): string {
  return `fixline/${shortTaskId(taskId)}-${slugify(title)}`;
}
