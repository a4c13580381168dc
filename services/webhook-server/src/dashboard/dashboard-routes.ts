import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";

interface StaticFile {
  body: string;
  type: string;
}

/** No build step: the dashboard is three files, read once at startup. */
function loadFiles(): Record<string, StaticFile> {
  const read = (name: string) => readFileSync(new URL(`./public/${name}`, import.meta.url), "utf8");
  return {
    "/": { body: read("index.html"), type: "text/html; charset=utf-8" },
    "/dashboard/app.js": { body: read("app.js"), type: "text/javascript; charset=utf-8" },
    "/dashboard/styles.css": { body: read("styles.css"), type: "text/css; charset=utf-8" },
    "/dashboard/favicon.svg": { body: read("favicon.svg"), type: "image/svg+xml" },
  };
}

const sandboxOffBanner =
  '<div class="sandbox-off" role="alert">FIXLINE_SANDBOX=off: the agent and repository commands run unsandboxed, with the worker\'s secrets in reach.</div>';

/**
 * Serves the dashboard's files. They hold no data: everything they show comes from the authenticated API,
 * and the page asks for the token (sign-in) when the API says 401.
 */
export async function dashboardRoutes(app: FastifyInstance, options: { sandboxOff?: boolean } = {}): Promise<void> {
  const files = loadFiles();
  // FIXLINE_SANDBOX=off is said on every page, in red (issue 14); it is configuration, not data, so it is no secret.
  if (options.sandboxOff && files["/"]) files["/"].body = files["/"].body.replace("<body>", `<body>\n    ${sandboxOffBanner}`);
  for (const [path, file] of Object.entries(files)) {
    app.get(path, async (_request, reply) =>
      reply
        .type(file.type)
        .header("cache-control", "no-cache")
        .header("x-content-type-options", "nosniff")
        .header(
          "content-security-policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        )
        .send(file.body),
    );
  }
}
