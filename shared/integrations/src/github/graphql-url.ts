/**
 * The GraphQL endpoint for a REST base URL: `https://api.github.com` -> `https://api.github.com/graphql`;
 * GitHub Enterprise Server serves REST at `<host>/api/v3` and GraphQL at `<host>/api/graphql`.
 */
export function graphqlUrl(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, "");
  if (/\/api\/v3$/.test(base)) return base.replace(/\/api\/v3$/, "/api/graphql");
  return `${base}/graphql`;
}
