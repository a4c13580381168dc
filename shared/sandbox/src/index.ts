/**
 * The one door for hostile code (issue 14): Claude and every repository command run through
 * prepareSandboxedCommand, which wraps them in bubblewrap with the phase's filesystem view, network and limits.
 */
export { buildSandboxArgv, containsPath, type SandboxArgv } from "./build-sandbox-argv";
export { prepareSandboxedCommand, gitDirsOf, type SandboxRequest, type PreparedCommand } from "./prepare-sandbox";
export { ensureSandboxAvailable } from "./probe-sandbox";
export { detectLimitLayout, createLimitGroup, type LimitMechanism, type LimitBreach, type LimitGroup } from "./resource-limits";
export { findExecutable } from "./find-executable";
export { sandboxPhases, defaultSandboxConfig, type SandboxPhase, type SandboxSpec, type SystemPath, type SandboxLimits } from "./sandbox-spec";
export { watchLimits } from "./watch-limits";
export { checkSandboxIsolation, type IsolationReport } from "./check-isolation";
