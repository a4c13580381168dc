import { findTaskByIdPrefix } from "@fixline/db";
import { shortTaskId } from "@fixline/core";
import { escapeSlack } from "@fixline/integrations";
import { withTimeout } from "./run-task-command";
import { slackMayRun, slackRunRepos } from "./slack-run-scope";
import type { SlackReply, WebhookOutcome } from "../http/webhook-outcome";
import { ingest, recordIgnored } from "./ingest";
import { parseFormBody } from "./parse-body";
import { handleSlackEvent, isJsonBody } from "./slack-events";
import type { WebhookContext } from "./webhook-context";

const repoPattern = /^[\w.-]+\/[\w.-]+$/;

export const slackHelpText = [
  "*Fixline* turns a bug description into a planned, test-proven pull request.",
  "• `/agent run [owner/repo] <description>`: start a task (the repository defaults to routing.slackDefaultRepo)",
  "• `/agent status <task id>`: where a task is",
  "• `/agent help`: this message",
  "Plans arrive in the task's thread with Approve / Reject buttons.",
].join("\n");

const ephemeral = (text: string): SlackReply => ({ response_type: "ephemeral", text });

/** Where people follow a task: the dashboard's page for it. */
export function taskLink(publicUrl: string, taskId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/tasks/${taskId}`;
}

/**
 * `/agent run|status|help`. Slack waits 3 s: `run` only commits the task and its outbox jobs and
 * answers with an ephemeral message; progress goes later through response_url and the task's thread.
 */
export async function handleSlackCommand(ctx: WebhookContext): Promise<WebhookOutcome> {
  if (isJsonBody(ctx)) return handleSlackEvent(ctx);
  const form = parseFormBody(ctx.rawBody, "Slack command");
  const userId = form.get("user_id");
  const triggerId = form.get("trigger_id");
  if (!userId || !triggerId) return { outcome: "rejected", status: 400, code: "PAYLOAD_MALFORMED", message: "Slack command: user_id and trigger_id are required" };
  const text = (form.get("text") ?? "").trim();
  const [subcommand = "", ...rest] = text.split(/\s+/);
  const { config, db } = ctx.deps;

  switch (subcommand.toLowerCase()) {
    case "run": {
      let repo = config.file.routing.slackDefaultRepo ?? config.file.routing.defaultRepo;
      if (rest[0] && repoPattern.test(rest[0])) repo = rest.shift();
      const description = rest.join(" ").trim();
      if (!description) return { outcome: "replied", reply: ephemeral(`Say what is broken: \`/agent run [owner/repo] <description>\`\n\n${slackHelpText}`) };
      const delivery = { source: "slack", deliveryId: triggerId, event: "command.run" };
      if (!repo) {
        ctx.log.warn({ userId }, "Slack /agent run without a repository: name owner/repo in the command or set routing.slackDefaultRepo in FIXLINE_CONFIG");
        const outcome = await recordIgnored(ctx, delivery, "no repository named and routing.slackDefaultRepo is not set", "unroutable");
        return { ...outcome, reply: ephemeral("Which repository? Use `/agent run owner/repo <description>` (or ask an admin to set routing.slackDefaultRepo).") };
      }
      const channelId = form.get("channel_id") ?? undefined;
      if (!slackMayRun(config.file, channelId, repo)) {
        const allowed = slackRunRepos(config.file, channelId);
        ctx.log.warn({ userId, repo, channelId }, "Slack /agent run for a repository not in the Slack allowlist (slack.repos / slack.channels in FIXLINE_CONFIG)");
        const outcome = await recordIgnored(ctx, delivery, `${repo} is not allowed from Slack`);
        return {
          ...outcome,
          reply: ephemeral(
            `${escapeSlack(repo)} is not open to \`/agent run\` from this channel. ${allowed.length ? `Allowed here: ${allowed.map(escapeSlack).join(", ")}.` : "No repository is."} An admin can add it under slack.repos (or slack.channels) in FIXLINE_CONFIG.`,
          ),
        };
      }
      // Running code is a write-access decision, as for an approval: the Slack user must map to a GitHub
      // login (approvers.slack) whose permission on the repository is write or admin, checked live.
      const login = config.file.approvers.slack[userId];
      const permission = login ? await withTimeout(ctx.deps.checkPermission)(repo, login) : "none";
      if (!login || (permission !== "write" && permission !== "admin")) {
        ctx.log.warn({ userId, repo, permission }, "Slack /agent run refused: the user is not mapped to a GitHub login with write access");
        const outcome = await recordIgnored(ctx, delivery, `Slack user ${userId} may not run tasks on ${repo}`);
        return {
          ...outcome,
          reply: ephemeral(
            login
              ? `Starting a task on ${escapeSlack(repo)} needs write access; ${escapeSlack(login)} has ${permission}. Nothing was queued.`
              : `Your Slack account is not linked to a GitHub login, so you cannot start tasks. Ask an admin to add you under approvers.slack in FIXLINE_CONFIG. Nothing was queued.`,
          ),
        };
      }
      const userName = form.get("user_name") ?? undefined;
      const responseUrl = form.get("response_url") ?? undefined;
      const outcome = await ingest(ctx, {
        delivery,
        source: "slack",
        sourceKey: `slack:${triggerId}`,
        repo,
        title: description.slice(0, 120),
        context: {
          description,
          slack: { text, userId, ...(userName ? { userName } : {}), ...(channelId ? { channelId } : {}), ...(form.get("team_id") ? { teamId: form.get("team_id")! } : {}) },
        },
        requester: { via: "slack", id: userId, ...(userName ? { name: userName } : {}), ...(responseUrl ? { responseUrl } : {}), ...(channelId ? { channel: channelId } : {}) },
        slackChannel: channelId ?? null,
      });
      const taskId = outcome.taskId;
      const reply = taskId
        ? ephemeral(`Task \`${shortTaskId(taskId)}\` is queued for ${escapeSlack(repo)}: ${taskLink(config.publicUrl, taskId)}\nI'll post the plan in this channel for approval.`)
        : ephemeral("This request was already received.");
      return { ...outcome, reply };
    }
    case "status": {
      const id = rest[0];
      if (!id) return { outcome: "replied", reply: ephemeral("Usage: `/agent status <task id>`") };
      const task = await findTaskByIdPrefix(db, id);
      if (!task) return { outcome: "replied", reply: ephemeral(`No task matches \`${escapeSlack(id.slice(0, 40))}\`.`) };
      // Titles and error messages are strangers' text: escaped, so they cannot form links or <!channel> pings.
      const lines = [`Task \`${shortTaskId(task.id)}\` (${escapeSlack(task.repo)}): *${task.state}*`, escapeSlack(task.title)];
      if (task.prUrl) lines.push(`Pull request: ${escapeSlack(task.prUrl)}`);
      if (task.errorCode) lines.push(`Error: ${task.errorCode}${task.errorMessage ? ` (${escapeSlack(task.errorMessage.slice(0, 200))})` : ""}`);
      lines.push(taskLink(config.publicUrl, task.id));
      return { outcome: "replied", reply: ephemeral(lines.join("\n")) };
    }
    default:
      // help, an empty command and unknown subcommands all get the help text.
      return { outcome: "replied", reply: ephemeral(subcommand && subcommand.toLowerCase() !== "help" ? `Unknown command \`${escapeSlack(subcommand.slice(0, 40))}\`.\n\n${slackHelpText}` : slackHelpText) };
  }
}
