import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config";
import { pickNetworkEnv } from "./network-env";

describe("network environment", () => {
  it("keeps proxy and CA settings and nothing else", () => {
    const env = { HTTPS_PROXY: "http://proxy:3128", NODE_EXTRA_CA_CERTS: "/etc/ca.pem", GITHUB_TOKEN: "ghp_x", DATABASE_URL: "postgres://x", PATH: "/bin" };
    expect(pickNetworkEnv(env)).toEqual({ HTTPS_PROXY: "http://proxy:3128", NODE_EXTRA_CA_CERTS: "/etc/ca.pem" });
    expect(loadConfig(env).networkEnv).toEqual({ HTTPS_PROXY: "http://proxy:3128", NODE_EXTRA_CA_CERTS: "/etc/ca.pem" });
  });
});
