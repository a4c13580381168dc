import type { Config } from "@fixline/core";

/** The repository a source object maps to, from FIXLINE_CONFIG routing (then routing.defaultRepo). */
export function routeRepo(config: Config, table: "sentry" | "jira", key: string | undefined): string | undefined {
  const routing = config.file.routing;
  return (key !== undefined ? routing[table][key] : undefined) ?? routing.defaultRepo;
}
