import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { FakeRequest, FakeResponse, FakeRoute } from "./fake-http-server";

/** An App created through the manifest flow, as the fake GitHub keeps it. */
export interface FakeManifestApp {
  id: string;
  slug: string;
  name: string;
  pem: string;
  publicKeyPem: string;
  webhookSecret: string;
  clientId: string;
  clientSecret: string;
  manifest: Record<string, unknown>;
}

/**
 * GitHub's App manifest flow (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest):
 * a page POSTs a `manifest` form field to `/settings/apps/new?state=…` on github.com; after the person confirms,
 * GitHub redirects to the manifest's `redirect_url` with `code` and `state`; the code is exchanged once, within
 * an hour and without credentials, at `POST /app-manifests/{code}/conversions` for the App's id, PEM, webhook
 * secret and OAuth client. The fake confirms at once. `onCreated` lets the fake GitHub accept the new App's JWTs.
 */
export function appManifestRoutes(onCreated: (app: FakeManifestApp) => void): { routes: FakeRoute[]; created: FakeManifestApp[] } {
  const pending = new Map<string, FakeManifestApp>();
  const created: FakeManifestApp[] = [];
  let nextId = 424_200;

  const create = (request: FakeRequest): FakeResponse => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(String(form.manifest ?? "")) as Record<string, unknown>;
    } catch {
      return { status: 422, body: "Invalid GitHub App configuration: the manifest is not JSON" };
    }
    const hook = manifest.hook_attributes as { url?: unknown } | undefined;
    if (typeof manifest.url !== "string" || typeof hook?.url !== "string" || typeof manifest.redirect_url !== "string") {
      return { status: 422, body: "Invalid GitHub App configuration: url, hook_attributes.url and redirect_url are required" };
    }
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const name = typeof manifest.name === "string" && manifest.name ? manifest.name : "fixline";
    const app: FakeManifestApp = {
      id: String(nextId++),
      slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      name,
      pem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
      webhookSecret: randomBytes(20).toString("hex"),
      clientId: `Iv23${randomBytes(8).toString("hex")}`,
      clientSecret: randomBytes(20).toString("hex"),
      manifest,
    };
    const code = randomBytes(10).toString("hex");
    pending.set(code, app);
    const back = new URL(manifest.redirect_url);
    back.searchParams.set("code", code);
    if (request.query.state) back.searchParams.set("state", request.query.state);
    return { status: 302, headers: { location: back.toString() }, body: "" };
  };

  const convert = (request: FakeRequest): FakeResponse => {
    const app = pending.get(request.params.code ?? "");
    // One exchange per code, as on GitHub: a replayed code is a 404.
    if (!app) return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest" } };
    pending.delete(request.params.code ?? "");
    created.push(app);
    onCreated(app);
    return {
      status: 201,
      body: {
        id: Number(app.id),
        slug: app.slug,
        name: app.name,
        html_url: `https://github.com/apps/${app.slug}`,
        owner: { login: "octocat" },
        pem: app.pem,
        webhook_secret: app.webhookSecret,
        client_id: app.clientId,
        client_secret: app.clientSecret,
        permissions: app.manifest.default_permissions ?? {},
        events: app.manifest.default_events ?? [],
      },
    };
  };

  return {
    created,
    routes: [
      { method: "POST", pattern: "/settings/apps/new", handler: create },
      { method: "POST", pattern: "/organizations/:org/settings/apps/new", handler: create },
      { method: "POST", pattern: "/app-manifests/:code/conversions", handler: convert },
    ],
  };
}
