import type { FastifyInstance, FastifyReply } from "fastify";
import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from "@octokit/oauth-methods";
import { request as octokitRequest } from "@octokit/request";
import { z } from "zod";
import { listTaskRepos } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import type { SessionIssuer } from "../api/session-routes";
import { parseCookies } from "../api/api-auth";
import { constantTimeEqual } from "../verify/constant-time-equal";
import { cookieHeader, newSecret, oauthStateCookieName, signCookieValue, verifyCookieValue } from "./session-cookie";

const callbackQuery = z.object({ code: z.string().min(1).max(200).optional(), state: z.string().min(1).max(200).optional(), error: z.string().max(200).optional() });
const githubUser = z.object({ login: z.string().regex(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,38})$/), id: z.number().int() });

/** The repositories Fixline works on: everything FIXLINE_CONFIG names, then those that have tasks. */
async function knownRepos(deps: AppDeps): Promise<string[]> {
  const { file } = deps.config;
  const named = [
    ...Object.keys(file.repos),
    ...Object.values(file.routing.sentry),
    ...Object.values(file.routing.jira),
    ...(file.routing.slackDefaultRepo ? [file.routing.slackDefaultRepo] : []),
    ...(file.routing.defaultRepo ? [file.routing.defaultRepo] : []),
    ...file.slack.repos,
    ...Object.values(file.slack.channels).flat(),
  ];
  return [...new Set([...named, ...(await listTaskRepos(deps.db))])];
}

/** Whether the login can at least read one of them (checked live, as every approval is). */
async function repositoryAccess(deps: AppDeps, login: string): Promise<boolean> {
  for (const repo of (await knownRepos(deps)).slice(0, 30)) {
    const permission = await deps.checkPermission(repo, login).catch(() => "none" as const);
    if (permission !== "none") return true;
  }
  return false;
}

/** The sign-in pages are tiny and say what went wrong; no user text is echoed into them. */
function page(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .header("content-security-policy", "default-src 'none'")
    .send(`<!doctype html><meta charset="utf-8"><title>Fixline sign-in</title><p>${message}</p><p><a href="/">Back to Fixline</a></p>`);
}

/**
 * "Sign in with GitHub" (OAuth web flow) against the configured GitHub: GITHUB_API_URL decides where the
 * authorize page and the code exchange live (github.com, GitHub Enterprise, or the test fake). octokit's
 * oauth-methods build the URL and exchange the code; the state is a random value in a signed, short-lived
 * cookie compared on return (no login CSRF). The user's GitHub token is used once, to learn who they are,
 * and not kept: repository permission is checked live with Fixline's own GitHub credential on each action.
 */
export async function githubSignInRoutes(app: FastifyInstance, deps: AppDeps, issuer: SessionIssuer, sessionKey: string): Promise<void> {
  const { oauthClientId: clientId, oauthClientSecret: clientSecret } = deps.config.identity;
  const secure = deps.config.publicUrl.startsWith("https:");
  const redirectUrl = `${deps.config.publicUrl.replace(/\/+$/, "")}/auth/github/callback`;
  const request = octokitRequest.defaults({ baseUrl: deps.config.github.apiUrl.replace(/\/+$/, ""), headers: { "user-agent": "fixline" } });
  const stateCookie = (value: string, maxAgeSeconds: number) => cookieHeader(oauthStateCookieName, value, { secure, maxAgeSeconds, sameSite: "Lax", path: "/auth/github" });

  app.get("/auth/github", async (_request, reply) => {
    if (!clientId || !clientSecret) return page(reply, 503, "Sign in with GitHub is not configured: set GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET on the server.");
    const state = newSecret();
    const { url } = getWebFlowAuthorizationUrl({ clientType: "oauth-app", clientId, redirectUrl, state, scopes: [], allowSignup: false, request });
    reply.header("set-cookie", stateCookie(signCookieValue(sessionKey, state), 600));
    return reply.redirect(url, 302);
  });

  app.get("/auth/github/callback", async (req, reply) => {
    if (!clientId || !clientSecret) return page(reply, 503, "Sign in with GitHub is not configured on this server.");
    const query = callbackQuery.safeParse(req.query ?? {});
    reply.header("set-cookie", stateCookie("", 0));
    if (!query.success) return page(reply, 400, "The sign-in answer from GitHub was malformed. Start again.");
    if (query.data.error) return page(reply, 403, "GitHub did not sign you in (access denied). Start again from Fixline.");
    const expected = verifyCookieValue(sessionKey, parseCookies(req.headers.cookie)[oauthStateCookieName]);
    if (!query.data.code || !query.data.state || !expected || !constantTimeEqual(query.data.state, expected)) {
      req.log.warn("GitHub sign-in callback with a missing or wrong state");
      return page(reply, 400, "This sign-in link was not started here or has expired. Start again from Fixline.");
    }
    let user: z.infer<typeof githubUser>;
    try {
      const { authentication } = await exchangeWebFlowCode({ clientType: "oauth-app", clientId, clientSecret, code: query.data.code, redirectUrl, request });
      const me = await request("GET /user", { headers: { authorization: `token ${authentication.token}` } });
      user = githubUser.parse(me.data);
    } catch (error) {
      req.log.warn({ err: (error as Error).message }, "GitHub sign-in failed at the code exchange");
      return page(reply, 502, "GitHub did not accept the sign-in code. Start again; if it keeps failing, check GITHUB_OAUTH_CLIENT_ID/SECRET and the OAuth App's callback URL.");
    }
    // Any GitHub account can finish the OAuth flow; only people with access to a repository Fixline works
    // on may in: task context (stack traces, descriptions of private repositories) is not for the world.
    const access = await repositoryAccess(deps, user.login);
    if (!access) {
      req.log.warn({ login: user.login }, "GitHub sign-in refused: no access to any repository Fixline works on");
      return page(reply, 403, "Your GitHub account has no access to the repositories this Fixline works on, so it cannot sign in. Ask a maintainer for access.");
    }
    await issuer.start(reply, { kind: "github", login: user.login, githubId: user.id });
    req.log.info({ login: user.login }, "signed in with GitHub");
    return reply.redirect("/", 302);
  });
}
