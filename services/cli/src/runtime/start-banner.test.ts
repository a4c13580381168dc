import { describe, expect, it } from "vitest";
import { startBanner } from "./start-banner";

const webhook = { url: "http://127.0.0.1:3000" } as never;
const reason = "GitHub is not configured (set GITHUB_TOKEN)";

describe("startBanner", () => {
  it("with GitHub, lists every role that runs and nothing about missing ones", () => {
    const text = startBanner("all", { webhook, workerQueues: ["notify", "hooks", "planning", "execution"] });
    expect(text).toContain("Fixline is running (all): webhook server, notify, hooks, planner, executor.");
    expect(text).not.toContain("not started");
    expect(text).toContain("Dashboard: http://127.0.0.1:3000/");
  });

  it("without GitHub, does not claim the stand-ins are the planner and executor, and says why they do not run", () => {
    const text = startBanner("all", { webhook, workerQueues: ["notify", "hooks", "planning", "execution"], notStarted: { roles: ["planner", "executor"], reason } });
    expect(text).toContain("Fixline is running (all): webhook server, notify, hooks.");
    expect(text).toContain(`planner and executor not started: ${reason}.`);
    expect(text).toContain("GITHUB_NOT_CONFIGURED");
  });

  it("a worker role shows its health address; a generated token is shown only where there is a dashboard", () => {
    const generated = { token: "tok123", savedTo: "/repo/.env" };
    const executor = startBanner("executor", { workerQueues: ["notify", "hooks"], notStarted: { roles: ["executor"], reason }, metricsUrl: "http://127.0.0.1:9464" }, generated);
    expect(executor).toContain("Fixline is running (executor): notify, hooks.");
    expect(executor).toContain("executor not started:");
    expect(executor).toContain("Health and metrics: http://127.0.0.1:9464");
    expect(executor).not.toContain("tok123");
    const all = startBanner("all", { webhook, workerQueues: [] }, generated);
    expect(all).toContain("Sign in with FIXLINE_API_TOKEN=tok123");
    expect(all).toContain("saved to /repo/.env");
  });
});
