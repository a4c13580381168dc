/**
 * Every failure Fixline reports has a stable code and a hint that tells the operator what to do.
 * The code is what users see on the PR, in Slack and in the dashboard; the hint is the fix.
 * `retryable` says whether a worker should retry the step (transient) or fail the task now.
 */
export const errorCodes = {
  // configuration
  CONFIG_INVALID: { retryable: false, hint: "Fix the listed variables (see .env.example) and start again." },
  GITHUB_NOT_CONFIGURED: { retryable: false, hint: "Set GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY (`fixline setup github` creates the App and writes them to .env), restart, then `fixline retry <task>`." },
  // task state machine
  ILLEGAL_TRANSITION: { retryable: false, hint: "The task is not in a state that allows this action; refresh and check its current state." },
  STALE_STATE: { retryable: false, hint: "Another worker or request moved the task first; nothing was changed." },
  TASK_NOT_FOUND: { retryable: false, hint: "Check the task id (fixline tasks lists them)." },
  PLAN_CHANGED: { retryable: false, hint: "The plan changed since it was shown; review the new one and approve its SHA." },
  // infrastructure
  DB_UNAVAILABLE: { retryable: true, hint: "Check that Postgres is running and DATABASE_URL is right (fixline doctor)." },
  PORT_IN_USE: { retryable: false, hint: "Another program (perhaps a Fixline already running) listens on that port: stop it (`lsof -i :<port>` names it), or set PORT (METRICS_PORT for a worker role) to a free one, in the shell or .env." },
  REDIS_UNAVAILABLE: { retryable: true, hint: "Check that Redis is running and REDIS_URL is right (fixline doctor)." },
  INGEST_OVERLOADED: { retryable: true, hint: "More deliveries are waiting for the database than INGEST_MAX_PENDING allows; the sender retries after Retry-After. Add webhook replicas or a faster Postgres." },
  JOB_DATA_INVALID: { retryable: false, hint: "The job's data does not match its schema; this is a bug in the producer." },
  // webhooks
  SIGNATURE_MISSING: { retryable: false, hint: "The sender did not sign the request; configure the webhook secret on the sender." },
  SIGNATURE_INVALID: { retryable: false, hint: "Verify that the sender's webhook secret matches the one Fixline is configured with." },
  TIMESTAMP_OUT_OF_WINDOW: { retryable: false, hint: "The request timestamp is too old or in the future; check the sender's and this machine's clocks." },
  PAYLOAD_MALFORMED: { retryable: false, hint: "The body could not be parsed as the sender's documented format." },
  UNSUPPORTED_MEDIA_TYPE: { retryable: false, hint: "Send application/json (or form-encoded for Slack)." },
  PAYLOAD_TOO_LARGE: { retryable: false, hint: "The body is over the configured limit (WEBHOOK_BODY_LIMIT_BYTES)." },
  NOT_FOUND: { retryable: false, hint: "Check the URL." },
  FORBIDDEN: { retryable: false, hint: "Only users with write or admin permission on the repository may do this." },
  UNAUTHORIZED: { retryable: false, hint: "Send Authorization: Bearer <FIXLINE_API_TOKEN>." },
  IP_NOT_ALLOWED: { retryable: false, hint: "The sender's address is not in JIRA_ALLOWED_IPS." },
  // repositories and git
  REPO_NOT_FOUND: { retryable: false, hint: "Add the repository to FIXLINE_CONFIG routing and give the GitHub token access to it." },
  CLONE_FAILED: { retryable: true, hint: "Check GIT_BASE_URL and the GitHub credentials (fixline doctor)." },
  PUSH_REJECTED: { retryable: false, hint: "The branch was changed by someone else or protected; resolve it on GitHub, then @agent retry." },
  GIT_FAILED: { retryable: true, hint: "A git command failed; the task log has its output." },
  SECRET_IN_OUTPUT: { retryable: false, hint: "A file Fixline was about to push holds one of its configured secrets; nothing was pushed. Remove the secret from the named file (and rotate it if the agent saw it), then @agent retry." },
  // claude
  CLAUDE_NOT_FOUND: { retryable: false, hint: "Install the CLI (npm i -g @anthropic-ai/claude-code) or set CLAUDE_BIN to its path." },
  CLAUDE_NOT_AUTHENTICATED: { retryable: false, hint: "Set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN (from `claude setup-token`) for the workers." },
  CLAUDE_TIMEOUT: { retryable: false, hint: "The run exceeded its time limit; raise timeouts in FIXLINE_CONFIG or narrow the task, then @agent retry." },
  CLAUDE_IDLE_TIMEOUT: { retryable: true, hint: "Claude printed nothing for too long; check the API status, then @agent retry." },
  CLAUDE_CANCELLED: { retryable: false, hint: "The run was cancelled on request." },
  CLAUDE_MAX_TURNS: { retryable: false, hint: "The agent used all its turns; raise maxTurns in FIXLINE_CONFIG or give more precise instructions." },
  CLAUDE_BUDGET_EXCEEDED: { retryable: false, hint: "The task's budget is spent; raise budgets in FIXLINE_CONFIG, then @agent retry." },
  CLAUDE_CRASHED: { retryable: true, hint: "The CLI exited without a result; the transcript and stderr are on the run." },
  CLAUDE_API_ERROR: { retryable: true, hint: "The Anthropic API returned an error; check its status page, then @agent retry." },
  // outages (issue 20): the task waits (its queue is paused by the provider's circuit breaker), it never fails for these
  CLAUDE_RATE_LIMITED: { retryable: true, hint: "The Anthropic API is rate limiting this account (429); work pauses and resumes by itself. Raise the account's limits or lower PLANNER_CONCURRENCY/EXECUTOR_CONCURRENCY." },
  CLAUDE_OVERLOADED: { retryable: true, hint: "The Anthropic API is overloaded (529); work pauses and resumes by itself when it recovers." },
  CLAUDE_SERVER_ERROR: { retryable: true, hint: "The Anthropic API answered with a server error (5xx); work pauses and resumes by itself. See status.anthropic.com." },
  CLAUDE_NETWORK_ERROR: { retryable: true, hint: "The Claude CLI could not reach the Anthropic API; work pauses and resumes by itself. Check the workers' network, proxy and DNS." },
  GITHUB_RATE_LIMITED: { retryable: true, hint: "GitHub's primary or secondary rate limit is hit (after octokit's own waits); work pauses and resumes by itself." },
  // planning and execution
  PLAN_INVALID: { retryable: false, hint: "PLAN.md lacks required sections even after a repair run; @agent reject with guidance to re-plan." },
  BUDGET_EXHAUSTED: { retryable: false, hint: "The task or the repository's daily budget is spent; raise budgets in FIXLINE_CONFIG." },
  // Issue 21: not a failure; the executor pauses the task in waiting_budget and asks on the PR and in Slack.
  BUDGET_WAITING: { retryable: false, hint: "80% of the execution budget granted with the approval is spent; a writer comments `@agent approve budget=+$5` to continue from the checkpoint." },
  APPROVAL_INVALID: { retryable: false, hint: "Approve the current PLAN.md again; approvals are bound to the plan commit." },
  RED_NOT_PROVEN: { retryable: false, hint: "The new test did not fail on the unfixed code, so it does not reproduce the bug; refine the plan's failing test." },
  RED_WRONG_REASON: { retryable: false, hint: "The new test failed by an error (load, syntax, import, type, reference, timeout or crash), not by an assertion about the bug; make the plan's failing test assert the wrong behaviour, then @agent retry." },
  PROTECTED_PATH_CHANGED: { retryable: false, hint: "The change touched a protected path (CI configuration, the test runner's configuration or the test script); list it in the plan's Affected files and approve again, or change protectedPaths in FIXLINE_CONFIG." },
  GREEN_NOT_REACHED: { retryable: false, hint: "The suite did not pass with the fix; see the evidence, then @agent retry or reject with guidance." },
  TEST_COMMAND_NOT_FOUND: { retryable: false, hint: "Set the repository's test command in FIXLINE_CONFIG or PLAN.md's Test command section." },
  SCOPE_VIOLATION: { retryable: false, hint: "The change touched files outside the plan's Affected files; widen the plan or set scopePolicy: warn." },
  ENV_SETUP_FAILED: { retryable: false, hint: "A setup command or pre-run hook failed; its output is in the task log." },
  SANDBOX_UNAVAILABLE: { retryable: false, hint: "Install bubblewrap (apt-get install bubblewrap) and allow user namespaces (see README \"Sandbox\"); FIXLINE_SANDBOX=off runs the agent unsandboxed, which is unsafe." },
  SANDBOX_LIMIT_EXCEEDED: { retryable: false, hint: "A command hit the sandbox's memory or process limit and was stopped; raise SANDBOX_MEMORY_MB / SANDBOX_MAX_PROCESSES if the repository needs more." },
  HOOK_VETOED: { retryable: false, hint: "A pre_execution hook refused the task; its reason is on the task." },
  // outside APIs
  INTEGRATION_FAILED: { retryable: true, hint: "An outside API (GitHub, Slack, Jira, Sentry) failed; it is retried with backoff." },
  INTEGRATION_REJECTED: { retryable: false, hint: "An outside API refused the request (4xx); check the credentials and scopes (fixline doctor)." },
  INTERNAL: { retryable: true, hint: "An unexpected error; the logs have the stack." },
} as const satisfies Record<string, { retryable: boolean; hint: string }>;

export type ErrorCode = keyof typeof errorCodes;
