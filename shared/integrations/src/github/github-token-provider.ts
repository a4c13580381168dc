import { createAppAuth } from "@octokit/auth-app";
import { FixlineError, type Logger } from "@fixline/core";
import type { Octokit } from "@octokit/rest";
import { githubRequestError } from "./github-request-error";
import { splitRepo } from "./split-repo";

export interface GitHubTokenProvider {
  kind: "token" | "app";
  /** A credential that can act on `repo`: the PAT, or an installation token of the App's installation there. */
  tokenFor(repo: string): Promise<string>;
  /** The App's short-lived JWT (App auth only), for /app and installation lookups. */
  appJwt(): Promise<string>;
}

export interface AppTokenProviderOptions {
  appId: string;
  privateKey: string;
  /** Pins one installation instead of looking it up per repository (GITHUB_APP_INSTALLATION_ID). */
  installationId?: string;
  request: Octokit["request"];
  logger: Logger;
  now?: () => number;
  /** Refresh this long before GitHub's expiry so a token never dies mid-push. Default 5 minutes. */
  refreshMarginMs?: number;
}

export function patTokenProvider(token: string): GitHubTokenProvider {
  return {
    kind: "token",
    tokenFor: () => Promise.resolve(token),
    appJwt: () => Promise.reject(new FixlineError("INTERNAL", "appJwt() needs GitHub App auth; GITHUB_TOKEN is a personal access token")),
  };
}

/** Env and secret files often carry a PEM with literal `\n`; the signer needs real newlines. */
function normalizePem(key: string): string {
  return key.includes("\\n") ? key.replace(/\\n/g, "\n") : key;
}

/**
 * GitHub App auth: the JWT finds the repository's installation, which mints an installation token.
 * Tokens live an hour; they are cached per installation and renewed shortly before they expire, and
 * concurrent callers share one in-flight request.
 */
export function appTokenProvider(options: AppTokenProviderOptions): GitHubTokenProvider {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 5 * 60 * 1000;
  const auth = createAppAuth({
    appId: options.appId,
    privateKey: normalizePem(options.privateKey),
    request: options.request,
    log: { warn: (message: string) => options.logger.warn(message) },
  });
  const installations = new Map<string, number>();
  const tokens = new Map<number, { token: string; expiresAt: number }>();
  const pending = new Map<number, Promise<string>>();

  async function appJwt(): Promise<string> {
    try {
      return (await auth({ type: "app" })).token;
    } catch (error) {
      throw new FixlineError("CONFIG_INVALID", `Cannot sign a GitHub App JWT with GITHUB_APP_PRIVATE_KEY: ${(error as Error).message}`, { cause: error });
    }
  }

  async function installationFor(repo: string): Promise<number> {
    if (options.installationId) return Number(options.installationId);
    const known = installations.get(repo);
    if (known !== undefined) return known;
    const { owner, repo: name } = splitRepo(repo);
    const jwt = await appJwt();
    try {
      const { data } = await options.request("GET /repos/{owner}/{repo}/installation", { owner, repo: name, headers: { authorization: `bearer ${jwt}` } });
      installations.set(repo, data.id);
      return data.id;
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        throw new FixlineError("REPO_NOT_FOUND", `The GitHub App ${options.appId} is not installed on ${repo} (GET /repos/${repo}/installation returned 404)`, { cause: error });
      }
      throw githubRequestError(`GET /repos/${repo}/installation`, error);
    }
  }

  async function mint(installationId: number): Promise<string> {
    try {
      // refresh: our own cache decides when to renew, so auth-app's must not hand back a token near expiry.
      const result = await auth({ type: "installation", installationId, refresh: true });
      tokens.set(installationId, { token: result.token, expiresAt: Date.parse(result.expiresAt) });
      options.logger.debug({ installationId, expiresAt: result.expiresAt }, "minted GitHub installation token");
      return result.token;
    } catch (error) {
      throw githubRequestError(`POST /app/installations/${installationId}/access_tokens`, error);
    }
  }

  return {
    kind: "app",
    appJwt,
    async tokenFor(repo) {
      const installationId = await installationFor(repo);
      const cached = tokens.get(installationId);
      if (cached && cached.expiresAt - margin > now()) return cached.token;
      const inFlight = pending.get(installationId);
      if (inFlight) return inFlight;
      const promise = mint(installationId).finally(() => pending.delete(installationId));
      pending.set(installationId, promise);
      return promise;
    },
  };
}
