import { readFileSync } from "node:fs";
import { z } from "zod";

/** `${VAR}` and `${VAR:-default}`, the forms Claude Code itself expands in .mcp.json. */
export const mcpVariablePattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * The MCP server template (MCP_CONFIG_TEMPLATE, infrastructure/docker/mcp.json) and the values of the
 * variables it names. The template is the operator's, so it may name any variable: these are the only
 * ones of the worker's environment that reach it, and @fixline/claude still refuses Fixline's own secrets.
 */
export const mcpTemplateSchema = z.object({
  template: z.object({ mcpServers: z.record(z.string(), z.unknown()).default({}) }),
  env: z.record(z.string(), z.string()),
});

/**
 * Reads the template once, at load, with the values of the variables it names that are set. A missing
 * file means "no MCP servers", which is a valid setup; an unreadable one is a configuration problem.
 */
export function readMcpTemplate(path: string, env: Readonly<Record<string, string | undefined>>, problems: string[]): { template: unknown; env: Record<string, string> } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { template: {}, env: {} };
    problems.push(`  - MCP_CONFIG_TEMPLATE: cannot read ${path} (${(error as Error).message})`);
    return { template: {}, env: {} };
  }
  let template: unknown;
  try {
    template = JSON.parse(text) as unknown;
  } catch (error) {
    problems.push(`  - MCP_CONFIG_TEMPLATE: ${path} is not JSON (${(error as Error).message})`);
    return { template: {}, env: {} };
  }
  const named: Record<string, string> = {};
  for (const [, name] of text.matchAll(mcpVariablePattern)) {
    const value = name ? env[name] : undefined;
    if (name && value) named[name] = value;
  }
  return { template, env: named };
}
