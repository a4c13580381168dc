import { z } from "zod";
import { budgetTopUpUsd } from "@fixline/core";
import { getTask, insertOutboxJobs, recordDelivery, signalOutbox } from "@fixline/db";
import { parseSlackButtonValue, slackActionIds } from "@fixline/integrations";
import type { TaskCommand } from "@fixline/tasks";
import type { SlackReply, WebhookOutcome } from "../http/webhook-outcome";
import { recordIgnored } from "./ingest";
import { parseFormBody, parseValue } from "./parse-body";
import { runTaskCommand } from "./run-task-command";
import { handleSlackEvent, isJsonBody } from "./slack-events";
import type { WebhookContext } from "./webhook-context";


const payloadSchema = z.object({
  type: z.string(),
  trigger_id: z.string().optional(),
  user: z.object({ id: z.string(), username: z.string().optional(), name: z.string().optional() }),
  response_url: z.string().optional(),
  channel: z.object({ id: z.string() }).partial().nullish(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional(), action_ts: z.string().optional() })).default([]),
});

const ephemeral = (text: string): SlackReply => ({ response_type: "ephemeral", text });

/**
 * The plan message's buttons (rendered by @fixline/integrations): action_id names the verb, the value
 * is `<task id>:<plan SHA>`: the click decides the plan the message showed.
 */
function commandFor(actionId: string, planSha: string | undefined): TaskCommand | undefined {
  const seen = planSha ? { seen: { planSha } } : {};
  if (actionId === slackActionIds.approve) return { kind: "approve", ...seen };
  if (actionId === slackActionIds.reject) return { kind: "reject", ...seen };
  // Issue 21: "Continue with +$5" on a task paused for budget: the same grant as `@agent approve budget=+$5`.
  if (actionId === slackActionIds.addBudget) return { kind: "approve", ...seen, budget: { kind: "add", usd: budgetTopUpUsd } };
  return undefined;
}

/**
 * Approve / Reject buttons. The Slack user must map to a GitHub login (approvers.slack in
 * FIXLINE_CONFIG) whose repository permission is write or admin; the command path checks that.
 */
export async function handleSlackInteraction(ctx: WebhookContext): Promise<WebhookOutcome> {
  if (isJsonBody(ctx)) return handleSlackEvent(ctx);
  const form = parseFormBody(ctx.rawBody, "Slack interaction");
  const raw = form.get("payload");
  let json: unknown;
  try {
    json = JSON.parse(raw ?? "");
  } catch {
    return { outcome: "rejected", status: 400, code: "PAYLOAD_MALFORMED", message: "Slack interaction: the payload field is not JSON" };
  }
  const payload = parseValue(json, payloadSchema, "Slack interaction payload");
  const action = payload.actions[0];
  const id = payload.trigger_id ?? `${payload.user.id}:${action?.action_ts ?? "?"}`;
  const delivery = { source: "slack", deliveryId: id, event: `${payload.type}.${action?.action_id ?? "none"}` };
  const button = action?.value ? parseSlackButtonValue(action.value) : undefined;
  const command = action && button && payload.type === "block_actions" ? commandFor(action.action_id, button.planSha) : undefined;
  if (!action || !command || !button) return recordIgnored(ctx, delivery, `Slack ${payload.type} ${action?.action_id ?? ""} is not a Fixline button`);
  const taskId = button.taskId;

  const { config, db } = ctx.deps;
  const login = config.file.approvers.slack[payload.user.id];
  const replyDetails = { slackUserId: payload.user.id, ...(payload.response_url ? { responseUrl: payload.response_url } : {}) };
  if (!login) {
    const task = await getTask(db, taskId);
    const message = `<@${payload.user.id}> is not linked to a GitHub account, so they cannot ${command.kind} plans here. Ask an admin to add them under approvers.slack in FIXLINE_CONFIG, or comment \`@agent ${command.kind}\` on the pull request.`;
    ctx.log.warn({ slackUserId: payload.user.id, command: command.kind }, "Slack approver not mapped: add approvers.slack.<user id>: <github login> to FIXLINE_CONFIG");
    if (!task) return recordIgnored(ctx, delivery, `no task ${taskId}`);
    if (!(await recordDelivery(db, delivery, "command_refused", task.id))) return { outcome: "duplicate", taskId: task.id };
    await insertOutboxJobs(db, [{ queue: "notify", data: { taskId: task.id, event: "command_refused", details: { command: command.kind, message, ...replyDetails } } }]);
    signalOutbox(db);
    return { outcome: "command_refused", taskId: task.id, command: command.kind, message, reply: ephemeral(message) };
  }
  return runTaskCommand(ctx, {
    delivery,
    taskId,
    command,
    actor: { via: "slack", login, displayName: payload.user.username ?? payload.user.name ?? payload.user.id },
    replyDetails,
    slackReply: ephemeral,
  });
}
