import type { FastifyRequest } from "fastify";
import type { Actor } from "@fixline/core";
import { headerLogin } from "./api-schemas";

export type ActorResult = { ok: true; actor: Actor & { login: string } } | { ok: false; message: string };

/**
 * Who is acting. A dashboard session acts as the login given at sign-in; API clients name the GitHub login
 * in `X-Fixline-User` (or a `login` field), and the CLI says so with `X-Fixline-Client: cli`. The login's
 * repository permission is what decides, exactly as for a PR comment.
 */
export function requestActor(request: FastifyRequest, bodyLogin: string | undefined): ActorResult {
  const credential = request.fixlineCredential;
  if (credential?.kind === "session") {
    if (credential.login) return { ok: true, actor: { via: "dashboard", login: credential.login } };
  }
  const header = request.headers["x-fixline-user"];
  let login = bodyLogin;
  if (!login && typeof header === "string" && header.trim() !== "") {
    const parsed = headerLogin.safeParse(header);
    if (!parsed.success) return { ok: false, message: "X-Fixline-User: must be a GitHub login" };
    login = parsed.data;
  }
  if (!login) {
    return { ok: false, message: "login: actions need the acting GitHub login; send the X-Fixline-User header or a login field (the CLI reads FIXLINE_USER)" };
  }
  const via = request.headers["x-fixline-client"] === "cli" ? "cli" : credential?.kind === "session" ? "dashboard" : "api";
  return { ok: true, actor: { via, login } };
}
