import { afterAll, describe, expect, it } from "vitest";
import { startApiTestApp, type ApiTestApp } from "../api/api-test-app";

const apps: ApiTestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

describe("dashboard sandbox banner (issue 14)", () => {
  it("says in red, on the page itself, that FIXLINE_SANDBOX=off runs the agent unsandboxed", async () => {
    const off = await startApiTestApp({ env: { FIXLINE_SANDBOX: "off" } });
    apps.push(off);
    const page = await off.app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<body>\s*<div class="sandbox-off" role="alert">FIXLINE_SANDBOX=off: the agent and repository commands run unsandboxed/);
    const css = await off.app.inject({ method: "GET", url: "/dashboard/styles.css" });
    expect(css.body).toMatch(/\.sandbox-off \{\s*background: #b42318;/);
  });

  it("shows no banner when the sandbox is on (the default)", async () => {
    const on = await startApiTestApp();
    apps.push(on);
    const page = await on.app.inject({ method: "GET", url: "/" });
    expect(page.body).toContain("<body>");
    expect(page.body).not.toContain("sandbox-off");
  });
});
