import type { FastifyReply } from "fastify";
import type { Logger } from "@fixline/core";
import { metrics } from "@fixline/observability";
import type { DeliveryMetricOutcome, WebhookOutcome } from "./webhook-outcome";

/** The metric label of each outcome, and whether it is a success the sender should not retry. */
function describe(outcome: WebhookOutcome): { metric: DeliveryMetricOutcome; status: number } {
  switch (outcome.outcome) {
    case "created":
    case "updated":
    case "closed":
    case "command_applied":
    case "command_refused":
    case "replied":
    case "url_verification":
      return { metric: "accepted", status: 200 };
    case "duplicate":
      return { metric: "duplicate", status: 200 };
    case "ignored":
    case "unroutable":
    case "command_conflict":
      return { metric: "ignored", status: 200 };
    case "rejected":
      return { metric: "rejected", status: outcome.status };
    case "unavailable":
      return { metric: "unavailable", status: 503 };
    case "error":
      return { metric: "error", status: 500 };
    default: {
      const never: never = outcome;
      throw new Error(`unhandled webhook outcome ${JSON.stringify(never)}`);
    }
  }
}

/** The one edge where outcomes become HTTP answers, metrics and a log line (never the body). */
export function sendOutcome(reply: FastifyReply, source: string, outcome: WebhookOutcome, log: Logger): FastifyReply {
  const { metric, status } = describe(outcome);
  metrics.webhookDeliveries.inc({ source, outcome: metric });
  // elapsedTime runs from the request's arrival (onRequest), so it includes body reading and the commit.
  metrics.webhookIngest.observe({ source }, reply.elapsedTime / 1000);
  if (outcome.outcome === "created") metrics.tasksStarted.inc({ source });

  reply.code(status);
  switch (outcome.outcome) {
    case "rejected":
      log.warn({ outcome: outcome.outcome, status, code: outcome.code, reason: outcome.message }, "webhook rejected");
      return reply.send({ code: outcome.code, message: outcome.message });
    case "unavailable":
      log.error({ outcome: outcome.outcome, status, code: outcome.code, reason: outcome.message }, "webhook not recorded: dependency unavailable");
      reply.header("retry-after", String(outcome.retryAfterSeconds));
      return reply.send({ code: outcome.code, message: outcome.message });
    case "error":
      return reply.send({ code: outcome.code, message: outcome.message });
    case "url_verification":
      return reply.send({ challenge: outcome.challenge });
    case "replied":
      log.info({ outcome: outcome.outcome }, "webhook handled");
      return reply.send(outcome.reply);
    default: {
      const level = outcome.outcome === "unroutable" ? "warn" : "info";
      log[level]({ ...summary(outcome) }, "webhook handled");
      if ("reply" in outcome && outcome.reply) return reply.send(outcome.reply);
      return reply.send(summary(outcome));
    }
  }
}

/** The JSON answer for senders that read it (tests, operators replaying deliveries): no payload data. */
function summary(outcome: WebhookOutcome): Record<string, unknown> {
  const { reply: _reply, ...rest } = outcome as WebhookOutcome & { reply?: unknown };
  return rest;
}
