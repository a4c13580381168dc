import { randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { githubAppManifest } from "./github-app-manifest";
import { updateDotEnv } from "./update-dot-env";

export interface GitHubAppSetupOptions {
  /** GIT_BASE_URL: where the person creates the App (github.com or a GitHub Enterprise host). */
  gitBaseUrl: string;
  /** GITHUB_API_URL: where the one-time code is exchanged. */
  apiUrl: string;
  /** Fixline's public URL; the App's webhook and OAuth callback point here unless `webhookUrl` says otherwise. */
  publicUrl: string;
  webhookUrl?: string;
  /** Create the App under this organisation instead of the signed-in user. */
  org?: string;
  name: string;
  /** The local page's port (0 = any free one). */
  port: number;
  dotEnvPath: string;
  /** Where the App's private key is written (mode 0600); GITHUB_APP_PRIVATE_KEY_FILE points at it. */
  keyPath: string;
  fetch?: typeof fetch;
}

export interface CreatedGitHubApp {
  id: string;
  slug: string;
  htmlUrl: string;
  /** The variables written to .env. */
  written: string[];
}

export interface GitHubAppSetup {
  /** Open this in a browser signed in to GitHub. */
  url: string;
  /** Resolves once GitHub sent the person back and the App's credentials are in .env. */
  created: Promise<CreatedGitHubApp>;
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *" });
  res.end(`<!doctype html><meta charset="utf-8"><title>Fixline: GitHub App setup</title><body style="font-family:system-ui;max-width:40rem;margin:3rem auto">${body}</body>`);
}

function sameState(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `fixline setup github`: the GitHub App manifest flow probot made familiar. A local page posts Fixline's
 * manifest to GitHub's "new App" page; the person confirms there; GitHub redirects back here with a one-time
 * code, which is exchanged (`POST /app-manifests/{code}/conversions`) for the App's id, private key, webhook
 * secret and OAuth client, written to `.env` (the key to its own 0600 file). The callback only accepts the
 * `state` this run put in the form, so a stray or forged redirect cannot make us fetch and write an App.
 */
export async function runGitHubAppSetup(options: GitHubAppSetupOptions): Promise<GitHubAppSetup> {
  const state = randomBytes(16).toString("hex");
  const doFetch = options.fetch ?? fetch;
  let resolveCreated!: (app: CreatedGitHubApp) => void;
  let rejectCreated!: (error: Error) => void;
  const created = new Promise<CreatedGitHubApp>((resolve, reject) => {
    resolveCreated = resolve;
    rejectCreated = reject;
  });
  let exchanging = false;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch((error: unknown) => page(res, 500, `<h1>Setup failed</h1><p>${escapeHtml((error as Error).message)}</p>`));
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const manifest = githubAppManifest({
    name: options.name,
    webhookUrl: options.webhookUrl ?? `${options.publicUrl}/webhooks/github`,
    redirectUrl: `${local}/callback`,
    homepageUrl: options.publicUrl,
    callbackUrl: `${options.publicUrl}/auth/github/callback`,
  });
  const base = options.gitBaseUrl.replace(/\/+$/, "");
  const action = `${base}${options.org ? `/organizations/${encodeURIComponent(options.org)}` : ""}/settings/apps/new?state=${state}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", local);
    if (req.method === "GET" && url.pathname === "/") {
      return page(
        res,
        200,
        `<h1>Create Fixline's GitHub App</h1><p>GitHub will show the App's permissions (contents, pull requests and issues: write) and events, and ask you to confirm. Then it sends you back here.</p>` +
          `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}"><button type="submit">Create the GitHub App on GitHub</button></form>`,
      );
    }
    if (req.method === "GET" && url.pathname === "/callback") {
      const code = url.searchParams.get("code");
      if (!sameState(url.searchParams.get("state"), state) || !code || !/^[A-Za-z0-9_-]{1,200}$/.test(code)) {
        return page(res, 400, "<h1>Not this setup's redirect</h1><p>The state does not match the one this run sent to GitHub. Start again with <code>fixline setup github</code>.</p>");
      }
      if (exchanging) return page(res, 409, "<h1>Already done</h1><p>This setup already received its code.</p>");
      exchanging = true;
      try {
        const app = await exchange(code);
        page(res, 200, `<h1>GitHub App ${escapeHtml(app.slug)} created</h1><p>Its credentials are in <code>.env</code>. Now install it on the repositories Fixline should work on: <a href="${escapeHtml(app.htmlUrl)}/installations/new">${escapeHtml(app.htmlUrl)}/installations/new</a>, then restart Fixline.</p>`);
        resolveCreated(app);
      } catch (error) {
        page(res, 502, `<h1>Setup failed</h1><p>${escapeHtml((error as Error).message)}</p>`);
        rejectCreated(error as Error);
      }
      return;
    }
    return page(res, 404, "<h1>Not found</h1>");
  }

  async function exchange(code: string): Promise<CreatedGitHubApp> {
    const response = await doFetch(`${options.apiUrl.replace(/\/+$/, "")}/app-manifests/${code}/conversions`, {
      method: "POST",
      headers: { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "user-agent": "fixline-setup" },
    });
    if (response.status !== 201) throw new Error(`GitHub answered ${response.status} to the code exchange (codes are single-use and expire after an hour): ${(await response.text()).slice(0, 300)}`);
    const app = (await response.json()) as { id?: unknown; slug?: unknown; html_url?: unknown; pem?: unknown; webhook_secret?: unknown; client_id?: unknown; client_secret?: unknown };
    if (typeof app.id !== "number" && typeof app.id !== "string") throw new Error("GitHub's answer has no App id");
    if (typeof app.pem !== "string" || typeof app.webhook_secret !== "string") throw new Error("GitHub's answer has no private key or webhook secret");
    mkdirSync(dirname(options.keyPath), { recursive: true });
    writeFileSync(options.keyPath, app.pem, { mode: 0o600 });
    const values: Record<string, string> = {
      GITHUB_APP_ID: String(app.id),
      GITHUB_APP_PRIVATE_KEY_FILE: options.keyPath,
      GITHUB_WEBHOOK_SECRET: app.webhook_secret,
      ...(typeof app.client_id === "string" ? { GITHUB_OAUTH_CLIENT_ID: app.client_id } : {}),
      ...(typeof app.client_secret === "string" ? { GITHUB_OAUTH_CLIENT_SECRET: app.client_secret } : {}),
    };
    updateDotEnv(options.dotEnvPath, values);
    return { id: String(app.id), slug: String(app.slug ?? app.id), htmlUrl: typeof app.html_url === "string" ? app.html_url : `${base}/apps/${String(app.slug ?? "")}`, written: Object.keys(values) };
  }

  return {
    url: local,
    created,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Where `setup github` keeps the App's key by default: beside the embedded database, never in git. */
export function defaultKeyPath(repoRoot: string): string {
  return join(repoRoot, ".data", "github-app.pem");
}
