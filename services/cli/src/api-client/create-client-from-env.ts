import { loadConfig } from "@fixline/core";
import { createFixlineClient, type FixlineClient } from "./fixline-client";
import { readStoredToken } from "./stored-credentials";

/**
 * The CLI is an edge: it reads FIXLINE_URL and its credential through loadConfig (so `_FILE` secrets
 * work). The credential is, in order: FIXLINE_TOKEN (a personal API token), the token `fixline login`
 * stored for this server, or the operator's FIXLINE_API_TOKEN. Who acts is whoever the token belongs to;
 * FIXLINE_USER no longer names anyone (issue 16).
 */
export function createClientFromEnv(env: Record<string, string | undefined> = process.env): FixlineClient {
  const config = loadConfig(env);
  const stored = config.userToken ? undefined : readStoredToken(config.fixlineUrl);
  const token = config.userToken ?? stored?.token ?? config.apiToken;
  const credential = config.userToken ? "FIXLINE_TOKEN" : stored ? "the token stored by fixline login" : config.apiToken ? "FIXLINE_API_TOKEN" : undefined;
  return createFixlineClient({ baseUrl: config.fixlineUrl, token, ...(credential ? { credential } : {}) });
}
