/**
 * Variables that say how to reach the network: proxies and the certificate authorities to trust (a
 * corporate proxy that intercepts TLS, as on our own CI machines). They hold no secrets of ours, and
 * without them npm ci, pip, git over https and the Claude CLI cannot connect, so every minimal child
 * environment (agent, setup and test commands, git) carries them.
 */
export const networkVariables = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
  "PIP_CERT",
  "GIT_SSL_CAINFO",
] as const;

/** The network variables that are set in `env`. Proxy URLs with credentials are kept: the child needs them to connect. */
export function pickNetworkEnv(env: { readonly [name in (typeof networkVariables)[number]]?: string | undefined }): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of networkVariables) {
    const value = env[name];
    if (value) picked[name] = value;
  }
  return picked;
}
