import { z } from "zod";

const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/repo");

/** A pool name becomes part of a BullMQ queue name (`execution.python`) and of a Kubernetes object name. */
export const poolName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,29}$/, "a pool is lower-case letters, digits and dashes (at most 30)");

const budgets = z.object({
  perTaskUsd: z.number().positive().default(5),
  perRepoPerDayUsd: z.number().positive().default(50),
});
const timeouts = z.object({
  planningSeconds: z.number().int().positive().default(900),
  executionSeconds: z.number().int().positive().default(1800),
  idleSeconds: z.number().int().positive().default(300),
  testSeconds: z.number().int().positive().default(600),
});
const maxTurns = z.object({
  planning: z.number().int().positive().default(40),
  execution: z.number().int().positive().default(80),
});

/**
 * What a fix may not quietly change (issue 15): CI, the test runners' configuration and the test script,
 * because each of them can make a broken fix look green.
 */
export const defaultProtectedPaths = [
  ".github/workflows/**",
  "package.json#scripts.test",
  "**/vitest.config.*",
  "**/vitest.workspace.*",
  "**/jest.config.*",
  "**/.mocharc*",
  "**/pytest.ini",
  "**/tox.ini",
  "**/phpunit.xml*",
  ".gitlab-ci.yml",
  ".circleci/**",
];

/** Per-repository settings; every field optional, falling back to `defaults`. */
export const repoSettingsSchema = z.object({
  defaultBranch: z.string().optional(),
  test: z.string().optional(),
  setup: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  image: z.string().optional(),
  /**
   * The executor pool whose workers plan and execute this repository (issue 20): workers started with
   * `fixline start --pool <name>` on an image with this repository's toolchain. Default `default`.
   */
  pool: poolName.optional(),
  timeoutSeconds: z.number().int().positive().optional(),
  hooks: z.object({ preRun: z.array(z.string()).default([]), postRun: z.array(z.string()).default([]) }).optional(),
  scopePolicy: z.enum(["warn", "block"]).optional(),
  dryRun: z.boolean().optional(),
  budgets: budgets.partial().optional(),
  /** Extra Bash command prefixes the agent may run (besides the test and setup commands). */
  allowedCommands: z.array(z.string()).optional(),
  /** Test runs (base, red, green, reruns) get no network unless this is true (issue 14: loopback services stay unreachable). */
  network: z.boolean().optional(),
  /** Replaces defaults.protectedPaths for this repository. */
  protectedPaths: z.array(z.string().min(1)).optional(),
});
export type RepoSettings = z.infer<typeof repoSettingsSchema>;

export const hookEvents = ["pre_execution", "post_execution", "on_error", "state_changed"] as const;
export const hookSchema = z.object({
  name: z.string().min(1),
  url: z.url(),
  events: z.array(z.enum(hookEvents)).min(1),
  /** Signs X-Fixline-Signature-256; falls back to FIXLINE_HOOK_SECRET. */
  secret: z.string().optional(),
  timeoutMs: z.number().int().positive().default(5000),
});
export type HookConfig = z.infer<typeof hookSchema>;

/** The FIXLINE_CONFIG YAML file. */
export const fixlineFileSchema = z.object({
  defaults: z
    .object({
      triggerLabel: z.string().min(1).default("fixline"),
      budgets: budgets.prefault({}),
      timeouts: timeouts.prefault({}),
      maxTurns: maxTurns.prefault({}),
      scopePolicy: z.enum(["warn", "block"]).default("warn"),
      flakeReruns: z.number().int().min(1).max(20).default(3),
      /**
       * Paths an execution may change only when the approved plan's Affected files lists them (else
       * PROTECTED_PATH_CHANGED): globs (`*`, `**`, `?`) relative to the repository root, and
       * `package.json#scripts.test` for the test script alone.
       */
      protectedPaths: z.array(z.string().min(1)).default(defaultProtectedPaths),
      model: z.string().optional(),
      jiraTransitionOnPlan: z.string().optional(),
      jiraTransitionOnDone: z.string().optional(),
      /** Issue 21: a revert of a merged fix counts for this many days after the merge. */
      revertWindowDays: z.number().int().min(1).max(365).default(14),
    })
    // prefault: {} goes through the schema above, so each default is written once, on its field.
    .prefault({}),
  routing: z
    .object({
      sentry: z.record(z.string(), repoName).default({}),
      jira: z.record(z.string(), repoName).default({}),
      slackDefaultRepo: repoName.optional(),
      defaultRepo: repoName.optional(),
    })
    .prefault({}),
  repos: z.record(repoName, repoSettingsSchema).default({}),
  approvers: z
    .object({
      /** Slack user id -> GitHub login; the GitHub login's repository permission decides. */
      slack: z.record(z.string(), z.string()).default({}),
    })
    .prefault({}),
  /** What the shared FIXLINE_API_TOKEN (the operator) may do besides reading, cancelling and retrying. */
  operator: z
    .object({
      /** Off by default: approvals come from verified GitHub identities with write access (issue 16). */
      mayApprove: z.boolean().default(false),
    })
    .prefault({}),
  slack: z
    .object({
      /** Repositories `/agent run` may target; empty = none (an explicit allowlist, issue 16). */
      repos: z.array(repoName).default([]),
      /** Per-channel allowlists (Slack channel id -> repositories); a listed channel uses only its own list. */
      channels: z.record(z.string(), z.array(repoName)).default({}),
    })
    .prefault({}),
  hooks: z.array(hookSchema).default([]),
});
export type FixlineFile = z.infer<typeof fixlineFileSchema>;
