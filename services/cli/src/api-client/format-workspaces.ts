import type { WorkspaceJson } from "@fixline/core";
import { colorState, type TerminalStyle } from "./terminal-style";
import { formatAge, padColumn } from "./table-layout";

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The `fixline workspaces` table, with the total the disk holds; orphans (no task) stand out. */
export function formatWorkspaceTable(workspaces: WorkspaceJson[], style: TerminalStyle): string {
  if (workspaces.length === 0) return "No workspaces.";
  const header = ["TASK", "STATE", "REPO", "BRANCH", "SIZE", "AGE", "PATH"];
  const rows = workspaces.map((w) => [
    w.taskId.replace(/-/g, "").slice(0, 8),
    w.state === "orphaned" ? style.yellow("orphaned") : colorState(style, w.state),
    w.repo ?? "-",
    w.branch ?? "-",
    formatBytes(w.sizeBytes),
    formatAge(w.ageSeconds),
    w.path,
  ]);
  const total = workspaces.reduce((sum, w) => sum + w.sizeBytes, 0);
  return [...padColumn([header.map((h) => style.dim(h)), ...rows]), style.dim(`${workspaces.length} workspace${workspaces.length === 1 ? "" : "s"}, ${formatBytes(total)}. Remove one with: fixline workspaces rm <task>`)].join("\n");
}
