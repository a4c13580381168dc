import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { execa } from "execa";

export interface GitHttpServer {
  /** gitBaseUrl, e.g. http://127.0.0.1:12345 */
  url: string;
  /** Authorization headers the server saw, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * Git's smart HTTP protocol over `git http-backend` (CGI), refusing requests without the expected Basic
 * credentials — the way GitHub takes an installation token: user `x-access-token`, password the token.
 */
export async function startGitHttpServer(projectRoot: string, token: string): Promise<GitHttpServer> {
  const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="test"' }).end("unauthorized");
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const child = execa("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_CONFIG_NOSYSTEM: "1",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_USER: "x-access-token",
        REMOTE_ADDR: "127.0.0.1",
      },
      extendEnv: false,
      encoding: "buffer",
      stdin: "pipe",
      reject: false,
    });
    req.pipe(child.stdin);
    void child.then((result) => {
      const output = Buffer.from(result.stdout as Uint8Array);
      const split = output.indexOf("\r\n\r\n");
      const headerText = output.subarray(0, split).toString("latin1");
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of headerText.split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers).end(output.subarray(split + 4));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
