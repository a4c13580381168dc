import { Agent, request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Real HTTP over at most `sockets` keep-alive connections: thousands of requests can be started at once
 * and the agent queues what exceeds the pool (a bounded client, not a fork bomb). With keepAlive false,
 * one connection per request and the caller bounds how many run at once.
 */
export function createHttpPool(baseUrl: string, sockets: number, options: { keepAlive?: boolean } = {}) {
  const keepAlive = options.keepAlive ?? true;
  // Without keep-alive, no agent at all: Node's agent hands a finished socket to the next queued request
  // even with keepAlive off, and that request then races the server closing it.
  const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: sockets }) : false;
  const url = new URL(baseUrl);
  return {
    post(path: string, headers: Record<string, string>, body: string | Buffer, timeoutMs = 60_000): Promise<RawResponse> {
      return new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path, method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)), ...(keepAlive ? {} : { connection: "close" }) }, agent, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error(`POST ${path} timed out`)));
        req.on("error", reject);
        req.end(body);
      });
    },
    close: () => (agent ? agent.destroy() : undefined),
  };
}
