import type { ResolvedEnvironment } from "./resolve-environment";

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** Markdown for PLAN.md's environment notes: what was detected or configured, and why. */
export function describeEnvironment(env: ResolvedEnvironment, setup?: { durationMs: number; cacheHit: boolean }): string {
  const lines = [
    `- Kind: ${code(env.detected.kind)} (toolchain ${code(env.toolchain)}${env.image ? `, image ${code(env.image)}` : ""})`,
    `- Setup (${env.sources.setup}): ${env.setup.length > 0 ? env.setup.map(code).join(", then ") : "none"}`,
    `- Test command (${env.sources.testCommand}): ${env.testCommand ? code(env.testCommand) : "none found"}`,
  ];
  if (env.preRun.length > 0) lines.push(`- Pre-run hooks: ${env.preRun.map(code).join(", ")}`);
  if (env.postRun.length > 0) lines.push(`- Post-run hooks: ${env.postRun.map(code).join(", ")}`);
  if (setup) lines.push(`- Setup time: ${(setup.durationMs / 1000).toFixed(1)}s (dependency cache ${setup.cacheHit ? "hit" : "miss"})`);
  lines.push("- Evidence:", ...env.detected.evidence.map((line) => `  - ${line}`));
  return lines.join("\n");
}
