import type { Config } from "@fixline/core";
import type { Provider, Verifier } from "./verifier";
import { verifyGitHub } from "./verify-github";
import { verifyJira } from "./verify-jira";
import { verifySentry } from "./verify-sentry";
import { verifySlack } from "./verify-slack";

export const verifiers: Record<Provider, Verifier> = {
  github: verifyGitHub,
  sentry: verifySentry,
  jira: verifyJira,
  slack: verifySlack,
};

/** The configured secrets of each provider (several during a rotation). */
export function providerSecrets(config: Config, provider: Provider): readonly string[] {
  switch (provider) {
    case "github":
      return config.github.webhookSecrets;
    case "sentry":
      return config.sentry.clientSecrets;
    case "jira":
      return config.jira.webhookSecrets;
    case "slack":
      return config.slack.signingSecrets;
    default: {
      const never: never = provider;
      throw new Error(`unknown provider ${String(never)}`);
    }
  }
}
