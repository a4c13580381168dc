import { describe, expect, it } from "vitest";
import { isFixlineError } from "../errors/fixline-error";
import { loadConfig } from "./load-config";
import { configuredPools, poolOf } from "./repo-pool";

describe("repository pools (issue 20)", () => {
  it("puts a repository in its configured pool and every other one in `default`", () => {
    const yaml = ["repos:", "  acme/py: { pool: python }", "  acme/django: { pool: python }", "  acme/shop: { pool: php }", "  acme/web: { test: npm test }", ""].join("\n");
    const config = loadConfig({ FIXLINE_CONFIG: yaml });
    expect(poolOf(config, "acme/py")).toBe("python");
    expect(poolOf(config, "acme/web")).toBe("default");
    expect(poolOf(config, "acme/unlisted")).toBe("default");
    expect(configuredPools(config)).toEqual(["default", "python", "php"]);
    expect(configuredPools(loadConfig({}))).toEqual(["default"]);
  });

  it("refuses a pool name that could not be a queue or Kubernetes name", () => {
    for (const bad of ["Python", "py thon", "py:thon", "py.thon", "{fixline}", "-python", "p".repeat(31)]) {
      let message = "";
      try {
        loadConfig({ FIXLINE_CONFIG: `repos:\n  acme/py: { pool: ${JSON.stringify(bad)} }\n` });
      } catch (error) {
        if (isFixlineError(error, "CONFIG_INVALID")) message = error.message;
      }
      expect(message, bad).toContain("repos.acme/py.pool");
    }
  });
});
