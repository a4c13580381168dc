import { describe, expect, it } from "vitest";
import { createIpAllowlist } from "./ip-allowlist";

describe("createIpAllowlist", () => {
  const list = createIpAllowlist(["104.192.136.0/21", "185.166.140.0/22", "2401:1d80:3000::/36", "203.0.113.7"]);

  it("admits addresses inside IPv4 and IPv6 ranges and single addresses", () => {
    expect(list.allows("104.192.136.1")).toBe(true);
    expect(list.allows("104.192.143.255")).toBe(true);
    expect(list.allows("2401:1d80:3000::1")).toBe(true);
    expect(list.allows("2401:1d80:3fff:ffff::1")).toBe(true);
    expect(list.allows("203.0.113.7")).toBe(true);
  });

  it("admits IPv4 clients seen on a dual-stack socket as ::ffff:a.b.c.d", () => {
    expect(list.allows("::ffff:185.166.140.9")).toBe(true);
    expect(list.allows("::ffff:10.0.0.1")).toBe(false);
  });

  it("refuses everything else, including garbage", () => {
    expect(list.allows("104.192.144.0")).toBe(false);
    expect(list.allows("2401:1d80:4000::1")).toBe(false);
    expect(list.allows("203.0.113.8")).toBe(false);
    expect(list.allows("127.0.0.1")).toBe(false);
    expect(list.allows("not-an-ip")).toBe(false);
  });

  it("fails fast on an entry that is not an address or range", () => {
    expect(() => createIpAllowlist(["jira.example.com"])).toThrow(/JIRA_ALLOWED_IPS/);
    expect(() => createIpAllowlist(["10.0.0.0/33"])).toThrow(/prefix/);
  });
});
