/**
 * The whole environment a git child gets. Nothing is inherited from the worker, whose environment holds
 * the GitHub, Slack and database secrets: only PATH (so git finds ssh and its helpers), a fixed locale so
 * stderr can be matched, and settings that keep git from reading the host's global or system config (a
 * credential helper or `insteadOf` there would change where credentials go) or from prompting.
 */
export function gitEnv(pathEnv: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: pathEnv,
    LANG: "C",
    LC_ALL: "C",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "",
    SSH_ASKPASS: "",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_OPTIONAL_LOCKS: "0",
    ...extra,
  };
}
