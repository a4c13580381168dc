import { describe, expect, it } from "vitest";
import { createRedactor, minimumSecretLength, redactedMarker } from "./create-redactor";

const secret = "Tr0ub4dor&3-horse-battery";

describe("createRedactor", () => {
  it("replaces a configured value in every spelling an attacker would use to smuggle it out", () => {
    const r = createRedactor([secret]);
    const bytes = Buffer.from(secret);
    const spellings = [
      secret,
      bytes.toString("base64"),
      bytes.toString("base64").replace(/=+$/, ""),
      bytes.toString("base64url"),
      bytes.toString("hex"),
      bytes.toString("hex").toUpperCase(),
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
    ];
    for (const spelling of spellings) {
      const out = r.redact(`before ${spelling} after`);
      expect(out, spelling).toBe(`before ${redactedMarker} after`);
      expect(r.containsSecret(`x${spelling}y`)).toBe(true);
    }
  });

  it("finds the value inside a longer base64 blob at every alignment (basic auth, an encoded env dump)", () => {
    const r = createRedactor([secret]);
    for (const prefix of ["", "a", "ab", "user:", "PATH=/usr/bin\nTOKEN="]) {
      const blob = Buffer.from(`${prefix}${secret}\nmore`).toString("base64");
      expect(r.redact(blob), prefix).toContain(redactedMarker);
      expect(r.containsSecret(blob)).toBe(true);
    }
  });

  it("replaces the known token shapes whether configured or not", () => {
    const r = createRedactor([]);
    const tokens = [
      `ghp_${"A1b2".repeat(9)}`,
      `gho_${"x".repeat(36)}`,
      `ghs_${"y".repeat(36)}`,
      `ghu_${"z".repeat(36)}`,
      `ghr_${"q".repeat(36)}`,
      `github_pat_11ABCDEFG0${"k".repeat(60)}`,
      "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
      "xoxp-1111-2222-3333-abcdef",
      `sk-ant-api03-${"Z".repeat(40)}`,
      "AKIAIOSFODNN7EXAMPLE",
    ];
    for (const token of tokens) expect(r.redact(`token=${token};`), token).toBe(`token=${redactedMarker};`);
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----";
    expect(r.redact(`key:\n${pem}\ndone`)).toBe(`key:\n${redactedMarker}\ndone`);
    expect(r.redact(JSON.stringify({ key: pem }))).toBe(JSON.stringify({ key: redactedMarker }));
    // A truncated block (an output tail cut mid-key) is removed to the end.
    expect(r.redact("x -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk")).toBe(`x ${redactedMarker}`);
    // Token shapes are not "configured secrets": a repository may hold AWS's documented example key.
    expect(r.containsSecret("AKIAIOSFODNN7EXAMPLE")).toBe(false);
  });

  it("leaves ordinary text alone and ignores values under the floor", () => {
    const r = createRedactor(["abc", "x".repeat(minimumSecretLength - 1), secret]);
    const text = "abc def xxxxxxx ghp_short github sk-ant AKIA123 an ordinary failing assertion";
    expect(r.redact(text)).toBe(text);
    expect(r.containsSecret(text)).toBe(false);
  });

  it("replaces the whole URL before the password inside it", () => {
    const url = "postgres://fixline:pa%40ssw0rd-long@db.internal:5432/fixline";
    const r = createRedactor([url, "pa%40ssw0rd-long", "pa@ssw0rd-long"]);
    expect(r.redact(`DATABASE_URL=${url}`)).toBe(`DATABASE_URL=${redactedMarker}`);
    expect(r.redact("password is pa@ssw0rd-long")).toBe(`password is ${redactedMarker}`);
  });

  it("redacts deep values and keys of plain data, and passes other objects through", () => {
    const r = createRedactor([secret]);
    const date = new Date(0);
    const out = r.redactDeep({ title: `fix ${secret}`, nested: [{ [secret]: 1, n: 2, ok: true, none: null }], date });
    expect(out).toEqual({ title: `fix ${redactedMarker}`, nested: [{ [redactedMarker]: 1, n: 2, ok: true, none: null }], date });
    expect(out.date).toBe(date);
  });

  it("scans a megabyte of output in one pass", () => {
    const secrets = Array.from({ length: 40 }, (_, i) => `secret-value-number-${i}-${"k".repeat(20)}`);
    const r = createRedactor(secrets);
    const text = `${"an ordinary log line with words and numbers 12345\n".repeat(20_000)}${secrets[7]}`;
    const out = r.redact(text);
    expect(out.endsWith(redactedMarker)).toBe(true);
    expect(out.length).toBe(text.length - secrets[7]!.length + redactedMarker.length);
  });
});
