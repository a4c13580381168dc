import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as a fake API received it, for assertions on what our clients actually sent. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body; the raw text for anything else; undefined when empty. */
  body: unknown;
  /** The status the fake answered with. */
  status: number;
}

export interface FakeRequest {
  method: string;
  path: string;
  /** The path as sent, before any prefix was stripped (for absolute Link headers). */
  originalPath: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeRoute {
  method: string;
  /** A path like `/repos/:owner/:repo/pulls`; `:name` matches one URL-decoded segment. */
  pattern: string;
  handler: FakeHandler;
}

export interface FakeHttpServer {
  url: string;
  received: RecordedRequest[];
  /** Answer the next `count` requests with `status` (429 carries Retry-After: 1) to simulate an outage. */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

export interface FakeHttpServerOptions {
  routes: FakeRoute[];
  /** Runs before routing; a response here (e.g. 401) is sent instead of the route's. */
  guard?: (request: FakeRequest) => FakeResponse | undefined;
  /** How an injected failure looks to the client; defaults to a JSON error body. */
  failureBody?: (status: number) => unknown;
  /** Headers of an injected failure; default Retry-After: 1 on a 429. */
  failureHeaders?: (status: number) => Record<string, string>;
  /** Path prefixes stripped before routing (GitHub Enterprise serves REST under /api/v3). */
  stripPrefixes?: string[];
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === "") return undefined;
  if (contentType?.includes("application/json")) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(":")) {
      if (g === "") return undefined;
      params[w.slice(1)] = decodeURIComponent(g);
    } else if (w !== g) return undefined;
  }
  return params;
}

async function readRaw(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, reply: FakeResponse): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (reply.body !== undefined) {
    if (typeof reply.body === "string") {
      payload = reply.body;
      headers["content-type"] ??= "text/plain; charset=utf-8";
    } else {
      payload = JSON.stringify(reply.body);
      headers["content-type"] ??= "application/json; charset=utf-8";
    }
  }
  response.writeHead(reply.status, headers);
  response.end(payload);
}

/**
 * A tiny real HTTP server on 127.0.0.1 and a random port: the edge fakes of GitHub, Slack, Jira and Sentry
 * are built on it so clients are tested over real sockets, with real headers and bodies, not mocks.
 */
export async function startFakeHttpServer(options: FakeHttpServerOptions): Promise<FakeHttpServer> {
  const received: RecordedRequest[] = [];
  const failures: number[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      let path = url.pathname;
      for (const prefix of options.stripPrefixes ?? []) {
        if (path.startsWith(`${prefix}/`)) path = path.slice(prefix.length);
      }
      const raw = await readRaw(req);
      const request: FakeRequest = {
        method: req.method ?? "GET",
        path,
        originalPath: url.pathname,
        params: {},
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: parseBody(raw, req.headers["content-type"]),
      };
      let reply: FakeResponse;
      const failure = failures.shift();
      if (failure !== undefined) {
        reply = {
          status: failure,
          body: options.failureBody ? options.failureBody(failure) : { message: `injected failure ${failure}` },
          headers: options.failureHeaders ? options.failureHeaders(failure) : failure === 429 ? { "retry-after": "1" } : {},
        };
      } else {
        reply = options.guard?.(request) ?? (await route(request));
      }
      received.push({ method: request.method, path: request.path, query: request.query, headers: request.headers, body: request.body, status: reply.status });
      send(res, reply);
    })().catch((error: unknown) => {
      send(res, { status: 500, body: { message: `fake server error: ${(error as Error).message}` } });
    });
  });

  async function route(request: FakeRequest): Promise<FakeResponse> {
    let methodMismatch = false;
    for (const candidate of options.routes) {
      const params = matchPattern(candidate.pattern, request.path);
      if (!params) continue;
      if (candidate.method !== request.method) {
        methodMismatch = true;
        continue;
      }
      return candidate.handler({ ...request, params });
    }
    return methodMismatch ? { status: 405, body: { message: "Method not allowed" } } : { status: 404, body: { message: "Not Found" } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    close() {
      return new Promise<void>((resolve) => {
        // Clients keep connections alive; close them or close() waits for their idle timeout.
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** The value of a header that may have been sent more than once. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
