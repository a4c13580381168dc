import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess, type ManagedProcess } from "./child-process";

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export type FixlineRole = "all" | "webhook" | "planner" | "executor";

export interface FixlineProcess extends ManagedProcess {
  role: FixlineRole;
  name: string;
}

/**
 * `fixline start --role <role>` as its own process (what an operator or an orchestrator runs), with exactly
 * the environment given. Resolves once it logged "Fixline started".
 */
export async function startFixlineProcess(options: { role: FixlineRole; name: string; env: Record<string, string>; logDir: string }): Promise<FixlineProcess> {
  const child = startProcess(process.execPath, ["--import", "tsx", join(repoRoot, "services/cli/src/main.ts"), "start", "--role", options.role], {
    cwd: repoRoot,
    env: options.env,
    logFile: join(options.logDir, `${options.name}.log`),
  });
  const started = Object.assign(child, { role: options.role, name: options.name });
  try {
    await child.waitForOutput(/"msg":"Fixline started"/, 60_000);
  } catch (error) {
    child.killGroup();
    throw error;
  }
  return started;
}
