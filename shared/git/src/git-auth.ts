/**
 * How a token reaches git: as an `http.<url>.extraHeader` given through GIT_CONFIG_COUNT/KEY/VALUE in the
 * environment of that one git command. It is never in argv (visible in `ps`), never in a remote URL and
 * never written to a config file, so nothing in the worktree the agent works in can read it afterwards.
 * The header is scoped to the repository's URL, so a redirect or an `insteadOf` rewrite to another host
 * does not carry it along.
 */
export interface GitAuth {
  /** Variables for the environment of the one command that talks to the remote. */
  env: Record<string, string>;
  /** Strings that must never appear in logs or errors (the token and its header form). */
  secrets: string[];
}

export const noAuth: GitAuth = { env: {}, secrets: [] };

export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** GitHub takes installation tokens and PATs over https as Basic `x-access-token:<token>`. */
export function basicAuthHeaderValue(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}

export function gitAuthFor(remoteUrl: string, token: string | undefined): GitAuth {
  // Local paths and file:// remotes need no credentials; sending a header there would only widen exposure.
  if (!token || !isHttpUrl(remoteUrl)) return noAuth;
  const headerValue = basicAuthHeaderValue(token);
  return {
    env: {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `http.${remoteUrl}.extraHeader`,
      GIT_CONFIG_VALUE_0: `Authorization: ${headerValue}`,
    },
    secrets: [token, headerValue.slice("Basic ".length)],
  };
}
