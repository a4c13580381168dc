import type { Config } from "./load-config";
import type { RepoSettings } from "./fixline-file-schema";

export interface EffectiveRepoSettings extends RepoSettings {
  scopePolicy: "warn" | "block";
  dryRun: boolean;
  budgets: { perTaskUsd: number; perRepoPerDayUsd: number };
}

/** A repository's settings with the file's defaults and the global dry-run switch applied. */
export function repoSettings(config: Config, repo: string): EffectiveRepoSettings {
  const own = config.file.repos[repo] ?? {};
  return {
    ...own,
    scopePolicy: own.scopePolicy ?? config.file.defaults.scopePolicy,
    protectedPaths: own.protectedPaths ?? config.file.defaults.protectedPaths,
    dryRun: config.dryRun || own.dryRun === true,
    budgets: { ...config.file.defaults.budgets, ...own.budgets },
  };
}
