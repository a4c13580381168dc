import type { FastifyRequest } from "fastify";
import type { Actor } from "@fixline/core";

export type ActorResult = { ok: true; actor: Actor & { login: string } } | { ok: false; message: string };

/** The login the operator's actions are recorded under; never a GitHub identity (Actor.role says so). */
export const operatorLogin = "operator";

/**
 * Who is acting, from the verified credential only (issue 16): a GitHub sign-in or a personal API token
 * names its GitHub login; the shared FIXLINE_API_TOKEN is the operator. `X-Fixline-User`, a `login` body
 * field and the old `fixline_login` cookie are never read: a client cannot choose who it is.
 */
export function requestActor(request: FastifyRequest): ActorResult {
  const credential = request.fixlineCredential;
  if (!credential) return { ok: false, message: "not signed in" };
  if (credential.kind === "operator") return { ok: true, actor: { via: credential.via, login: operatorLogin, role: "operator" } };
  return { ok: true, actor: { via: credential.via, login: credential.login } };
}

/** Old clients named the actor in X-Fixline-User; that is refused, not ignored, so nobody is misled about who acted. */
export const assertedIdentityMessage =
  "X-Fixline-User: no longer accepted; who acts comes from your credential (sign in with GitHub, or a personal API token from `fixline login`).";
