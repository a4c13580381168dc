import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppDeps } from "./app-deps";
import { errorToOutcome } from "./http/error-to-outcome";
import { lazyChildLogger } from "./http/lazy-child-logger";
import { registerRawBodyParsers } from "./http/raw-body-parsers";
import { sendOutcome } from "./http/send-outcome";
import type { WebhookOutcome } from "./http/webhook-outcome";
import { createIpAllowlist } from "./ip/ip-allowlist";
import { handleGitHub } from "./sources/github";
import { handleJira } from "./sources/jira";
import { handleSentry } from "./sources/sentry";
import { handleSlackCommand } from "./sources/slack-commands";
import { handleSlackInteraction } from "./sources/slack-interactions";
import type { WebhookContext } from "./sources/webhook-context";
import { headerValue } from "./verify/header-value";
import type { Provider } from "./verify/verifier";
import { providerSecrets, verifiers } from "./verify/verifiers";

/** The header carrying each provider's delivery id, for log lines. */
const deliveryHeaders: Record<Provider, string> = {
  github: "x-github-delivery",
  sentry: "request-id",
  jira: "x-atlassian-webhook-identifier",
  slack: "x-slack-request-timestamp",
};

/**
 * POST /webhooks/*: verify over the raw bytes, hand the delivery to its source module, answer with the
 * outcome. Raw-body parsers are registered in this plugin only (Fastify encapsulates them).
 */
export async function webhookRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;
  registerRawBodyParsers(app, deps.config.webhookBodyLimitBytes);
  const nowMs = deps.nowMs ?? Date.now;
  const jiraAllowlist = deps.config.jira.allowedIps.length > 0 ? createIpAllowlist(deps.config.jira.allowedIps) : undefined;

  function route(url: string, provider: Provider, handler: (ctx: WebhookContext) => Promise<WebhookOutcome>, guard?: (request: FastifyRequest) => WebhookOutcome | undefined): void {
    app.post(url, async (request, reply) => {
      const log = lazyChildLogger(deps.logger, () => ({ reqId: request.id, source: provider, deliveryId: headerValue(request.headers, deliveryHeaders[provider]) }));
      let outcome: WebhookOutcome;
      try {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const refused = guard?.(request);
        const verified = refused ? undefined : verifiers[provider]({ rawBody, headers: request.headers, secrets: providerSecrets(deps.config, provider), nowMs: nowMs() });
        if (refused) outcome = refused;
        else if (verified && !verified.ok) outcome = { outcome: "rejected", status: 401, code: verified.code, message: verified.message };
        else outcome = await handler({ deps, rawBody, headers: request.headers, log });
      } catch (error) {
        outcome = errorToOutcome(error);
        if (outcome.outcome === "error") log.error({ err: error }, "webhook handler failed");
        if (outcome.outcome === "unavailable" && provider === "github") {
          // GitHub never redelivers by itself: someone has to press "Redeliver" once we are back.
          log.error({ code: outcome.code }, "GitHub delivery answered 503; GitHub will NOT retry it: redeliver it from the webhook's Recent Deliveries page");
        }
      }
      return sendOutcome(reply, provider, outcome, log);
    });
  }

  route("/webhooks/github", "github", handleGitHub);
  route("/webhooks/sentry", "sentry", handleSentry);
  route("/webhooks/jira", "jira", handleJira, (request) => {
    // Before any other work: an address outside JIRA_ALLOWED_IPS is not Jira, whatever it signs.
    if (!jiraAllowlist || jiraAllowlist.allows(request.ip)) return undefined;
    return { outcome: "rejected", status: 403, code: "IP_NOT_ALLOWED", message: `${request.ip} is not in JIRA_ALLOWED_IPS` };
  });
  route("/webhooks/slack/commands", "slack", handleSlackCommand);
  route("/webhooks/slack/interactions", "slack", handleSlackInteraction);
}
