import type { Config } from "./load-config";

/** The pool every repository without a `pool` belongs to. */
export const defaultPool = "default";

/** The executor pool that plans and executes this repository's tasks (`repos.<repo>.pool`). */
export function poolOf(config: Config, repo: string): string {
  return config.file.repos[repo]?.pool ?? defaultPool;
}

/** Every pool the configuration names, `default` first: what `fixline start --role all` consumes and doctor checks. */
export function configuredPools(config: Config): string[] {
  const named = Object.values(config.file.repos).flatMap((settings) => (settings.pool ? [settings.pool] : []));
  return [...new Set([defaultPool, ...named])];
}
