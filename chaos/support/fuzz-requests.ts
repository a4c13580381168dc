import { createHmac } from "node:crypto";
import { labelledIssue } from "./github-deliveries";

export interface FuzzRequest {
  kind: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A small seeded PRNG (mulberry32), so a failing fuzz run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const paths = ["/webhooks/github", "/webhooks/sentry", "/webhooks/jira", "/webhooks/slack/commands", "/webhooks/slack/interactions"];

export interface FuzzSecrets {
  github: string;
}

/**
 * Malformed, forged, oversized, truncated and mis-encoded webhook requests. Several are signed with the
 * real secret over their (broken) bytes, so they get past verification and exercise the parsers too.
 */
export function createFuzzer(seed: number, secrets: FuzzSecrets, bodyLimit: number) {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const sign = (body: Buffer) => `sha256=${createHmac("sha256", secrets.github).update(body).digest("hex")}`;
  const github = (body: Buffer, extra: Record<string, string> = {}): Record<string, string> => ({
    "content-type": "application/json",
    "x-github-event": pick(["issues", "issue_comment", "pull_request", "ping", "push", "", "issues\u0000"]).replace("\u0000", "x"),
    "x-github-delivery": `fuzz-${int(1e9)}`,
    ...extra,
  });
  const validIssue = () => Buffer.from(JSON.stringify(labelledIssue("acme/fuzz", 1 + int(1000))));

  const generators: Record<string, () => FuzzRequest> = {
    "random-bytes": () => {
      const body = bytes(int(2048));
      return { kind: "random-bytes", path: pick(paths), headers: { "content-type": pick(["application/json", "application/x-www-form-urlencoded", "text/plain"]), "x-hub-signature-256": sign(body) }, body };
    },
    "truncated-json-signed": () => {
      const full = validIssue();
      const body = full.subarray(0, 1 + int(full.length - 2));
      return { kind: "truncated-json-signed", path: "/webhooks/github", headers: github(body, { "x-hub-signature-256": sign(body), "x-github-event": "issues" }), body };
    },
    forged: () => {
      const body = validIssue();
      const signatures = [
        `sha256=${createHmac("sha256", "not-the-secret").update(body).digest("hex")}`,
        `sha256=${"0".repeat(64)}`,
        "sha256=",
        `sha1=${createHmac("sha1", secrets.github).update(body).digest("hex")}`,
        sign(Buffer.concat([body, Buffer.from(" ")])),
        `sha256=${"zz".repeat(32)}`,
        "",
      ];
      const signature = pick(signatures);
      return { kind: "forged", path: "/webhooks/github", headers: github(body, { "x-github-event": "issues", ...(signature ? { "x-hub-signature-256": signature } : {}) }), body };
    },
    "forged-other-sources": () => {
      const body = Buffer.from(JSON.stringify({ action: "created", data: { issue: { id: String(int(1e6)) } } }));
      const path = pick(paths.slice(1));
      const headers: Record<string, string> = { "content-type": path.includes("slack") ? "application/x-www-form-urlencoded" : "application/json" };
      if (path.includes("sentry")) Object.assign(headers, { "sentry-hook-resource": "issue", "sentry-hook-signature": "f".repeat(64), "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)) });
      if (path.includes("jira")) headers["x-hub-signature"] = `sha256=${"a".repeat(64)}`;
      if (path.includes("slack")) Object.assign(headers, { "x-slack-signature": `v0=${"b".repeat(64)}`, "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000) - int(1000)) });
      return { kind: "forged-other-sources", path, headers, body };
    },
    oversized: () => {
      const body = Buffer.alloc(bodyLimit + 1 + int(bodyLimit), "a".charCodeAt(0));
      return { kind: "oversized", path: pick(paths), headers: { "content-type": pick(["application/json", "application/x-www-form-urlencoded"]), "x-hub-signature-256": sign(body) }, body };
    },
    "wrong-content-type": () => {
      const body = validIssue();
      const type = pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/octet-stream", "image/png", "application/jsonp", "text/json", "", "*/*"]);
      return { kind: "wrong-content-type", path: pick(paths), headers: { ...(type ? { "content-type": type } : {}), "x-github-event": "issues", "x-hub-signature-256": sign(body) }, body };
    },
    "invalid-utf8-signed": () => {
      const text = validIssue().toString("utf8");
      const cut = int(text.length);
      const body = Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(text.slice(cut))]);
      return { kind: "invalid-utf8-signed", path: "/webhooks/github", headers: github(body, { "x-hub-signature-256": sign(body), "x-github-event": "issues" }), body };
    },
    "wrong-shape-signed": () => {
      const shapes: unknown[] = [
        null, 42, "string", [], [1, 2], { action: 5 }, { action: "labeled", issue: "x" },
        { action: "labeled", label: { name: "fixline" }, issue: { number: "1", title: 5 }, repository: { full_name: "not a repo" } },
        { action: "created", issue: { number: 1, pull_request: {} }, comment: { id: 1, body: "@agent approve" }, repository: { full_name: "acme/fuzz" } },
        { action: "labeled", label: { name: "fixline" }, issue: { number: 1.5, title: "x".repeat(40_000), labels: [] }, repository: { full_name: "acme/fuzz" } },
      ];
      const raw = [`${"[".repeat(20_000)}${"]".repeat(20_000)}`, '{"__proto__":{"polluted":true},"action":"labeled","label":{"name":"fixline"}}', '{"constructor":{"prototype":{"x":1}}}', '{"action":"labeled","action":"opened"}'];
      const body = Buffer.from(random() < 0.2 ? pick(raw) : JSON.stringify(pick(shapes)));
      return { kind: "wrong-shape-signed", path: "/webhooks/github", headers: github(body, { "x-hub-signature-256": sign(body) }), body };
    },
    "form-garbage-signed": () => {
      const body = Buffer.from(pick(["payload=%E0%A4%A", "payload=", "payload=%7B%22action", "a=b&c", "%%%%", `payload=${encodeURIComponent("{\"action\":")}`, "payload=" + "%FF".repeat(50)]));
      return { kind: "form-garbage-signed", path: "/webhooks/github", headers: github(body, { "content-type": "application/x-www-form-urlencoded", "x-hub-signature-256": sign(body), "x-github-event": "issues" }), body };
    },
    "header-garbage": () => {
      const body = validIssue();
      return {
        kind: "header-garbage",
        path: pick(paths),
        headers: { "content-type": "application/json", "x-github-event": "x".repeat(int(8000)), "x-github-delivery": "d".repeat(int(8000)), "x-hub-signature-256": `sha256=${"1".repeat(int(5000))}`, "sentry-hook-timestamp": "-1e308", "x-slack-request-timestamp": "NaN" },
        body,
      };
    },
  };
  const kinds = Object.keys(generators);
  return {
    kinds,
    /** Oversized bodies are a tenth of the mix: they cost the most bytes per request. */
    next(): FuzzRequest {
      const kind = random() < 0.03 ? "oversized" : pick(kinds.filter((k) => k !== "oversized"));
      return generators[kind]!();
    },
  };
}
