import type { RunningFixline } from "./start-fixline";
import type { EnsuredApiToken } from "./ensure-api-token";
import type { Role } from "./roles";

/** What each worker queue means to a person reading the banner. */
const roleOfQueue: Record<string, string> = { planning: "planner", execution: "executor", notify: "notify", hooks: "hooks" };

/**
 * The lines `fixline start` prints once everything listens: which roles really run, which do not and why
 * (issue 17: the banner said "running (all)" while the planner and executor were not started), and where to go.
 */
export function startBanner(role: Role, running: Pick<RunningFixline, "webhook" | "workerQueues" | "notStarted" | "metricsUrl">, generated?: EnsuredApiToken): string {
  const notStarted = new Set(running.notStarted?.roles ?? []);
  const runs = [...(running.webhook ? ["webhook server"] : []), ...new Set(running.workerQueues.map((q) => roleOfQueue[q] ?? q).filter((r) => !notStarted.has(r)))];
  const lines = ["", `Fixline is running (${role}): ${runs.join(", ")}.`];
  if (running.notStarted) {
    lines.push(`  ${running.notStarted.roles.join(" and ")} not started: ${running.notStarted.reason}.`);
    lines.push("  Tasks fail at once with GITHUB_NOT_CONFIGURED until then (fixline doctor checks the setup).");
  }
  if (running.webhook) lines.push(`Dashboard: ${running.webhook.url}/  Webhooks: ${running.webhook.url}/webhooks/<source>`);
  if (running.webhook && generated) {
    // No FIXLINE_API_TOKEN was set, so this run made one: say where it is, or the sign-in card is a dead end.
    lines.push(`  Sign in with FIXLINE_API_TOKEN=${generated.token}  (the operator token: Sign in → Operator)`);
    lines.push(generated.savedTo ? `  (generated, saved to ${generated.savedTo}; \`./fixline tasks\` in any shell uses it)` : "  (generated for this run only: .env could not be written; set FIXLINE_API_TOKEN to keep one)");
  }
  if (running.metricsUrl) lines.push(`Health and metrics: ${running.metricsUrl}`);
  lines.push("Press Ctrl-C to stop.", "", "");
  return lines.join("\n");
}
