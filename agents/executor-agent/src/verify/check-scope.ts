/**
 * Files the change touched that PLAN.md's "Affected files" does not list. PLAN.md itself is the plan, not
 * the change. A listed directory (ending in "/") covers the files under it.
 */
export function filesOutsideScope(changed: readonly string[], affected: readonly string[]): string[] {
  const files = new Set(affected.filter((a) => !a.endsWith("/")));
  const dirs = affected.filter((a) => a.endsWith("/"));
  return changed.filter((file) => file !== "PLAN.md" && !files.has(file) && !dirs.some((dir) => file.startsWith(dir)));
}
