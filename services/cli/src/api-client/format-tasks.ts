import { isDryRunPlan, type TaskDetail, type TaskJson } from "@fixline/core";
import { formatAge, visibleLength } from "./table-layout";
import { colorState, type TerminalStyle } from "./terminal-style";

const age = (iso: string, now: number) => formatAge((now - new Date(iso).getTime()) / 1000);
const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - visibleLength(text)));
const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** The `fixline tasks` table: id, state, source, repo, PR, cost, age, title. */
export function formatTaskTable(tasks: TaskJson[], style: TerminalStyle, now = Date.now()): string {
  if (tasks.length === 0) return "No tasks.";
  const header = ["ID", "STATE", "SOURCE", "REPO", "PR", "COST", "AGE", "TITLE"];
  const rows = tasks.map((t) => [t.shortId, colorState(style, t.state), t.source, t.repo, t.prNumber ? `#${t.prNumber}` : "-", `$${t.costUsd.toFixed(2)}`, age(t.createdAt, now), cut(t.title, 60)]);
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join("  ").trimEnd();
  return [style.dim(line(header)), ...rows.map(line)].join("\n");
}

/** The `fixline show` view: the task, its timeline, runs and evidence. */
export function formatTaskDetail(detail: TaskDetail, style: TerminalStyle): string {
  const { task, events, runs, plan, evidence } = detail;
  const out: string[] = [];
  out.push(`${style.bold(task.title)}`);
  out.push(`${task.id}  ${colorState(style, task.state)}  ${task.repo}  via ${task.source}  $${task.costUsd.toFixed(3)}`);
  if (task.prUrl) out.push(`PR: ${task.prUrl}`);
  // A dry-run plan has the placeholder PR number: there is no PR, only the one it would have opened.
  else if (isDryRunPlan(task)) out.push(style.yellow(`PR: none (dry run)${detail.data?.dryRunPullRequest ? `; would have opened "${detail.data.dryRunPullRequest.title}"` : ""}`));
  const outcome = formatOutcome(task);
  if (outcome) out.push(task.outcome === "merged" ? style.green(outcome) : task.outcome === "reverted" ? style.red(outcome) : style.yellow(outcome));
  if (task.errorCode) out.push(style.red(`${task.errorCode}: ${task.errorMessage ?? ""}`));
  if (task.waitingFor) out.push(style.yellow(task.waitingFor));
  const budget = formatBudget(detail);
  if (budget) out.push(task.state === "waiting_budget" ? style.yellow(budget) : budget);
  out.push("", style.bold("Timeline"));
  for (const e of events) {
    const who = e.actor?.login ? ` by @${e.actor.login}${e.actor.via ? ` via ${e.actor.via}` : ""}` : "";
    const moved = e.toState && e.toState !== e.fromState ? ` → ${e.toState}` : "";
    out.push(`  ${style.dim(new Date(e.createdAt).toISOString().replace("T", " ").slice(0, 19))}  ${e.type}${moved}${who}`);
  }
  if (runs.length > 0) {
    out.push("", style.bold("Runs"));
    for (const r of runs) {
      const seconds = r.durationMs !== null ? `${(r.durationMs / 1000).toFixed(1)}s` : "-";
      out.push(`  ${pad(r.phase, 12)} ${pad(r.errorCode ?? r.status, 18)} ${pad(`${r.numTurns ?? "-"} turns`, 10)} ${pad(`${r.tokens.input}/${r.tokens.output} tok`, 16)} $${r.costUsd.toFixed(3)}  ${seconds}`);
    }
  }
  if (evidence && Object.keys(evidence).length > 0) {
    out.push("", style.bold("Evidence"));
    for (const [name, value] of Object.entries(evidence)) {
      const summary =
        value && typeof value === "object"
          ? Object.entries(value as Record<string, unknown>)
              .filter(([, v]) => typeof v !== "object" && String(v).length < 80)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(" ")
          : String(value);
      out.push(`  ${/red/i.test(name) ? style.red(name) : /green/i.test(name) ? style.green(name) : name}: ${summary}`);
    }
  }
  const wouldHaveSent = detail.data?.wouldHaveSent ?? [];
  if (wouldHaveSent.length > 0) {
    out.push("", style.bold(`Dry run: would have sent (${wouldHaveSent.length})`));
    for (const r of wouldHaveSent) {
      const at = r.at ? `${style.dim(new Date(r.at).toISOString().replace("T", " ").slice(0, 19))}  ` : "";
      out.push(`  ${at}${pad(`${r.channel} ${r.action}`, 24)} ${r.target}: ${r.summary.split("\n")[0]}`);
    }
  }
  if (plan) out.push("", style.bold(`Plan${plan.sha ? ` (${plan.sha.slice(0, 7)})` : ""}`), plan.markdown.trimEnd());
  return out.join("\n");
}

/** Issue 21: the PR's fate after `completed`, e.g. "Outcome: merged 3h after ready" or "Outcome: reverted by 1a2b3c4d". */
// Partial: servers older than issue 21 send none of these.
export function formatOutcome(task: Partial<Pick<TaskJson, "outcome" | "mergedAt" | "endedAt" | "revertedBy">>): string | undefined {
  if (!task.outcome) return undefined;
  if (task.outcome === "closed_unmerged") return "Outcome: closed without merging";
  const after = task.mergedAt && task.endedAt ? ` ${formatAge(Math.max(0, new Date(task.mergedAt).getTime() - new Date(task.endedAt).getTime()) / 1000)} after ready` : "";
  if (task.outcome === "merged") return `Outcome: merged${after}`;
  const by = task.revertedBy ? ` by ${task.revertedBy.startsWith("#") ? task.revertedBy : task.revertedBy.slice(0, 12)}` : "";
  return `Outcome: reverted${by} (merged${after})`;
}

/**
 * Issue 21: "Budget: $0.90 of $1.00 spent (estimate $1.50; $1.00 by maintainer)", and in waiting_budget the
 * command that continues it.
 */
/** `budget` is absent from servers older than budgets. */
export function formatBudget(detail: Pick<TaskDetail, "task"> & Partial<Pick<TaskDetail, "budget">>): string | undefined {
  const budget = detail.budget;
  if (!budget) return undefined;
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const estimate = budget.estimateUsd !== null ? `estimate ${usd(budget.estimateUsd)}` : undefined;
  if (budget.grantedUsd === null) return estimate ? `Budget: ${estimate}; approving grants it for execution` : undefined;
  const grants = budget.grants.map((g) => `${g.kind === "top_up" ? "+" : ""}${usd(g.amountUsd)} by ${g.login}`).join(", ");
  const line = `Budget: ${usd(budget.spentUsd)} of ${usd(budget.grantedUsd)} spent (${[estimate, grants].filter(Boolean).join("; ")})`;
  return detail.task.state === "waiting_budget" ? `${line}. Waiting for budget: a writer comments \`@agent approve budget=+$5\` to continue.` : line;
}
