import { planFile } from "@fixline/core";

/**
 * What a planning run may do: read and search, read-only git and shell commands, and write PLAN.md alone
 * (path-scoped permission rules). Anything else it changes anyway is discarded after the run.
 */
export const planningAllowedTools: readonly string[] = [
  "Read",
  "Grep",
  "Glob",
  "LS",
  `Write(${planFile})`,
  `Edit(${planFile})`,
  `MultiEdit(${planFile})`,
  "Bash(git log:*)",
  "Bash(git show:*)",
  "Bash(git grep:*)",
  "Bash(ls:*)",
  "Bash(cat:*)",
];

/** The skills installed for planning (folders under SKILLS_DIR). */
export const planningSkills: readonly string[] = ["discovery", "jira-enrichment", "plan-changes"];
