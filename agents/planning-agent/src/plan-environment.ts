import { validatePlan, type EffectiveRepoSettings, type Logger } from "@fixline/core";
import { describeEnvironment, resolveEnvironment, type ResolvedEnvironment } from "@fixline/environments";

/** The PLAN.md section the harness adds when the agent did not write one (issue 10). */
export const environmentNotesHeading = "Environment notes";

/**
 * What the harness knows about the repository's environment before the agent reads a line: detected from its
 * manifests (package.json + lockfile, requirements.txt, go.mod...) unless FIXLINE_CONFIG says otherwise. Reads
 * files only. Detection is a hint, so a failure is logged and planning goes on without it.
 */
export async function detectPlanningEnvironment(worktree: string, repo: string, settings: EffectiveRepoSettings, logger: Logger): Promise<ResolvedEnvironment | undefined> {
  try {
    return await resolveEnvironment({ worktree, repo, settings });
  } catch (error) {
    logger.warn({ err: (error as Error).message }, "could not detect the repository's environment; planning without it");
    return undefined;
  }
}

/**
 * Appends `## Environment notes` (kind, setup, test command and the evidence for each) unless the agent
 * already wrote that section: the reviewer sees what the executor will install and run before approving.
 */
export function withEnvironmentNotes(markdown: string, environment: ResolvedEnvironment): string {
  if (environmentNotesHeading in validatePlan(markdown).sections) return markdown;
  return `${markdown.trimEnd()}\n\n## ${environmentNotesHeading}\n\n${describeEnvironment(environment)}\n`;
}
