import { loadConfig } from "@fixline/core";
import { createFixlineClient, type FixlineClient } from "./fixline-client";

/**
 * The CLI is an edge: it reads FIXLINE_URL and FIXLINE_API_TOKEN through loadConfig (so `_FILE` secrets
 * work), and FIXLINE_USER, the acting GitHub login, straight from the environment.
 */
export function createClientFromEnv(env: Record<string, string | undefined> = process.env): FixlineClient {
  const config = loadConfig(env);
  return createFixlineClient({ baseUrl: config.fixlineUrl, token: config.apiToken, user: env.FIXLINE_USER?.trim().replace(/^@/, "") || undefined });
}
