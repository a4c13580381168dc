import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hmacSha256Hex } from "./hmac-sha256-hex";
import { verifiers } from "./verifiers";

interface Vector {
  source: string;
  body: string;
  expected: string;
  secret?: string;
  signingSecret?: string;
  clientSecret?: string;
  timestamp?: string;
}
const vectors = JSON.parse(readFileSync(new URL("../../fixtures/webhooks/signature-vectors.json", import.meta.url), "utf8")) as Record<string, Vector[]>;
const now = Date.parse("2025-01-01T00:00:00Z");

describe("official and recomputed signature vectors", () => {
  for (const vector of vectors.github ?? []) {
    it(`github: ${vector.source}`, () => {
      const input = { rawBody: Buffer.from(vector.body), secrets: [vector.secret!], nowMs: now };
      expect(verifiers.github({ ...input, headers: { "x-hub-signature-256": vector.expected } })).toEqual({ ok: true });
      const flipped = vector.expected.slice(0, -1) + (vector.expected.endsWith("0") ? "1" : "0");
      expect(verifiers.github({ ...input, headers: { "x-hub-signature-256": flipped } })).toMatchObject({ ok: false, code: "SIGNATURE_INVALID" });
    });
  }
  for (const vector of vectors.slack ?? []) {
    it(`slack: ${vector.source}`, () => {
      const headers = { "x-slack-signature": vector.expected, "x-slack-request-timestamp": vector.timestamp! };
      const at = Number(vector.timestamp) * 1000;
      expect(verifiers.slack({ rawBody: Buffer.from(vector.body), headers, secrets: [vector.signingSecret!], nowMs: at + 60_000 })).toEqual({ ok: true });
      // The same valid signature outside the 5-minute window, in either direction.
      expect(verifiers.slack({ rawBody: Buffer.from(vector.body), headers, secrets: [vector.signingSecret!], nowMs: at + 301_000 })).toMatchObject({ code: "TIMESTAMP_OUT_OF_WINDOW" });
      expect(verifiers.slack({ rawBody: Buffer.from(vector.body), headers, secrets: [vector.signingSecret!], nowMs: at - 301_000 })).toMatchObject({ code: "TIMESTAMP_OUT_OF_WINDOW" });
    });
  }
  for (const vector of vectors.sentry ?? []) {
    it(`sentry: ${vector.source}`, () => {
      const headers = { "sentry-hook-signature": vector.expected };
      expect(verifiers.sentry({ rawBody: Buffer.from(vector.body), headers, secrets: [vector.clientSecret!], nowMs: now })).toEqual({ ok: true });
      // Re-serialised JSON (pretty-printed) is not what was signed.
      const reserialised = Buffer.from(JSON.stringify(JSON.parse(vector.body), null, 2));
      expect(verifiers.sentry({ rawBody: reserialised, headers, secrets: [vector.clientSecret!], nowMs: now })).toMatchObject({ code: "SIGNATURE_INVALID" });
    });
  }
  for (const vector of vectors.jira ?? []) {
    it(`jira: ${vector.source}`, () => {
      expect(verifiers.jira({ rawBody: Buffer.from(vector.body), headers: { "x-hub-signature": vector.expected }, secrets: [vector.secret!], nowMs: now })).toEqual({ ok: true });
    });
  }
});

describe("verifier rules", () => {
  const body = Buffer.from('{"hello":"wörld \\u00e9"}');

  it("accepts any of several secrets (rotation) and refuses when none matches", () => {
    const headers = { "x-hub-signature-256": `sha256=${hmacSha256Hex("new-secret", body)}` };
    expect(verifiers.github({ rawBody: body, headers, secrets: ["old-secret", "new-secret"], nowMs: now })).toEqual({ ok: true });
    expect(verifiers.github({ rawBody: body, headers, secrets: ["old-secret"], nowMs: now })).toMatchObject({ ok: false, code: "SIGNATURE_INVALID" });
  });

  it("says which variable to set when a provider has no secret, and never accepts unsigned deliveries", () => {
    const cases = [
      ["github", "GITHUB_WEBHOOK_SECRET"],
      ["sentry", "SENTRY_CLIENT_SECRET"],
      ["jira", "JIRA_WEBHOOK_SECRET"],
      ["slack", "SLACK_SIGNING_SECRET"],
    ] as const;
    for (const [provider, variable] of cases) {
      const result = verifiers[provider]({ rawBody: body, headers: {}, secrets: [], nowMs: now });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.code).toBe("SIGNATURE_INVALID");
      expect(!result.ok && result.message).toContain(variable);
    }
  });

  it("reports a missing signature header as SIGNATURE_MISSING", () => {
    for (const provider of ["github", "sentry", "jira", "slack"] as const) {
      expect(verifiers[provider]({ rawBody: body, headers: {}, secrets: ["s"], nowMs: now })).toMatchObject({ ok: false, code: "SIGNATURE_MISSING" });
    }
  });

  it("refuses signatures of a different length without throwing", () => {
    expect(verifiers.github({ rawBody: body, headers: { "x-hub-signature-256": "sha256=abc" }, secrets: ["s"], nowMs: now })).toMatchObject({ code: "SIGNATURE_INVALID" });
    expect(verifiers.sentry({ rawBody: body, headers: { "sentry-hook-signature": "ünïcode" }, secrets: ["s"], nowMs: now })).toMatchObject({ code: "SIGNATURE_INVALID" });
  });

  it("checks the Sentry timestamp window when the header is present", () => {
    const signature = hmacSha256Hex("s", body);
    const at = (ms: number): string => (ms / 1000).toFixed(3);
    const verify = (timestamp: string) => verifiers.sentry({ rawBody: body, headers: { "sentry-hook-signature": signature, "sentry-hook-timestamp": timestamp }, secrets: ["s"], nowMs: now });
    expect(verify(at(now - 60_000))).toEqual({ ok: true });
    expect(verify(at(now - 3_600_000))).toMatchObject({ code: "TIMESTAMP_OUT_OF_WINDOW" });
    expect(verify(at(now + 3_600_000))).toMatchObject({ code: "TIMESTAMP_OUT_OF_WINDOW" });
    expect(verify("yesterday")).toMatchObject({ code: "TIMESTAMP_OUT_OF_WINDOW" });
  });

  it("rejects a Slack signature computed over a different timestamp", () => {
    const ts = String(Math.floor(now / 1000));
    const signature = `v0=${hmacSha256Hex("s", `v0:${Number(ts) - 1}:`, body)}`;
    expect(verifiers.slack({ rawBody: body, headers: { "x-slack-signature": signature, "x-slack-request-timestamp": ts }, secrets: ["s"], nowMs: now })).toMatchObject({
      code: "SIGNATURE_INVALID",
    });
  });
});
