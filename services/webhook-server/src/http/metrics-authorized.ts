import { tokensMatch } from "../api/api-auth";

/**
 * Whether a /metrics scrape may read (issue 16): open when METRICS_TOKEN is unset (keep the port private
 * then), else only with `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time. Prometheus
 * sends it with `authorization: { credentials_file: ... }` (or `bearer_token_file`) in its scrape config.
 */
export function metricsAuthorized(authorization: string | undefined, metricsToken: string | undefined): boolean {
  if (!metricsToken) return true;
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
  return Boolean(match && tokensMatch(match[1]!, metricsToken));
}
