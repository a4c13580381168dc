import { z } from "zod";
import type { WebhookOutcome } from "../http/webhook-outcome";
import { headerValue } from "../verify/header-value";
import { deliveryId } from "./delivery-id";
import { recordIgnored } from "./ingest";
import { parseJsonBody } from "./parse-body";
import type { WebhookContext } from "./webhook-context";

const eventSchema = z.object({ type: z.string(), challenge: z.string().optional(), event_id: z.string().optional() });

export function isJsonBody(ctx: WebhookContext): boolean {
  return headerValue(ctx.headers, "content-type")?.startsWith("application/json") ?? false;
}

/**
 * Slack Events API requests (JSON) reaching a Slack URL: the url_verification handshake is answered with
 * its challenge; events are recorded as ignored (Fixline acts on commands and buttons only).
 */
export async function handleSlackEvent(ctx: WebhookContext): Promise<WebhookOutcome> {
  const body = parseJsonBody(ctx.rawBody, eventSchema, "Slack event");
  if (body.type === "url_verification") {
    if (!body.challenge) return { outcome: "rejected", status: 400, code: "PAYLOAD_MALFORMED", message: "url_verification without a challenge" };
    return { outcome: "url_verification", challenge: body.challenge };
  }
  const id = body.event_id ?? deliveryId(ctx.headers, "x-slack-request-id", ctx.rawBody);
  return recordIgnored(ctx, { source: "slack", deliveryId: id, event: body.type }, `Slack ${body.type} events need nothing`);
}
