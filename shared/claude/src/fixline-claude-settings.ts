/**
 * The only settings a Fixline run loads (`--settings`), with `--setting-sources=` so no user, project or local
 * settings file is read: a repository's committed `.claude/settings.json` (hooks, permissions, MCP servers) never
 * takes effect (issue 14). The sandbox shows this same file at `<worktree>/.claude/settings.json`.
 */
export function fixlineClaudeSettings(): Record<string, unknown> {
  return {
    disableAllHooks: true,
    enableAllProjectMcpServers: false,
    includeCoAuthoredBy: false,
  };
}
