import { runSetup } from "@fixline/environments";
import { setupWrites, uncommittedFiles } from "../environment/setup-leftovers";
import { saveExecutionState, type ExecutionContext } from "./execution-context";

/**
 * Installs the repository's dependencies (before the agent and the red runs, and again before green
 * verification, since the fix may touch a manifest) and remembers which files setup itself wrote, so they
 * never count as the agent's change nor get committed.
 */
export async function setUpEnvironment(context: ExecutionContext): Promise<void> {
  const { deps, task, workspace, state } = context;
  const before = await uncommittedFiles(deps.workspaces, workspace.path);
  const result = await runSetup(context.environment, { ...context.commandContext, repo: task.repo });
  const written = setupWrites(before, await uncommittedFiles(deps.workspaces, workspace.path), state.setupLeftovers);
  context.setup.durationMs += result.durationMs;
  context.setup.cacheHit ??= result.cacheHit;
  if (Object.keys(written).length === 0) return;
  context.logger.info({ files: Object.keys(written) }, "setup wrote files; they are not the agent's change and are never committed");
  await saveExecutionState(deps.db, task.id, state, { setupLeftovers: { ...state.setupLeftovers, ...written } });
}
