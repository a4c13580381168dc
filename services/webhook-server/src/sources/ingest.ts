import { ingestSignal, recordDelivery, type DeliveryKey, type IngestSignalRequest } from "@fixline/db";
import type { WebhookOutcome } from "../http/webhook-outcome";
import type { WebhookContext } from "./webhook-context";

/**
 * Records the delivery and creates (or bumps) the task in one transaction, shared with the deliveries that
 * arrived at the same moment (group commit); answers after it commits.
 */
export async function ingest(ctx: WebhookContext, request: IngestSignalRequest): Promise<Extract<WebhookOutcome, { outcome: "created" | "updated" | "duplicate" }>> {
  const result = ctx.deps.ingest ? await ctx.deps.ingest.ingest(request) : await ingestSignal(ctx.deps.db, request);
  switch (result.outcome) {
    case "created":
      return { outcome: "created", taskId: result.taskId };
    case "updated":
      return { outcome: "updated", taskId: result.taskId, occurrences: result.occurrences };
    case "duplicate":
      return { outcome: "duplicate", taskId: result.taskId };
    default: {
      const never: never = result;
      throw new Error(`unknown ingest outcome ${JSON.stringify(never)}`);
    }
  }
}

/** Records a delivery that creates nothing, so a redelivery is recognised and the operator can see it. */
export async function recordIgnored(
  ctx: WebhookContext,
  delivery: DeliveryKey,
  reason: string,
  kind: "ignored" | "unroutable" = "ignored",
): Promise<Extract<WebhookOutcome, { outcome: "ignored" | "unroutable" | "duplicate" }>> {
  const fresh = await recordDelivery(ctx.deps.db, delivery, kind);
  if (!fresh) return { outcome: "duplicate", taskId: null };
  return kind === "unroutable" ? { outcome: "unroutable", reason } : { outcome: "ignored", reason };
}
