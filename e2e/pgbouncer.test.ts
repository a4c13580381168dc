import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countPendingOutbox } from "@fixline/db";
import { startTestPgbouncer, type TestPgbouncer } from "@fixline/testing";
import { runDemo } from "../services/cli/src/demo/index";

/**
 * Issue 20: Fixline behind pgbouncer in transaction mode, as managed Postgres and many clusters run it. The
 * whole demo flow (signed Sentry alert -> draft PR -> @agent approve -> ready PR) with every connection of
 * every role going through a real pgbouncer: migrations, the guarded transitions, the outbox (whose relay
 * finds that LISTEN/NOTIFY does not arrive and polls) and the notify jobs.
 */
let bouncer: TestPgbouncer;
beforeAll(async () => {
  bouncer = await startTestPgbouncer();
});
afterAll(async () => {
  await bouncer?.stop();
});

describe("end to end through pgbouncer (transaction pooling)", () => {
  it("completes the demo task and drains the outbox", async () => {
    let pending = -1;
    let configuredUrl = "";
    const result = await runDemo({
      out: { write: () => {}, isTTY: false },
      databaseUrl: bouncer.url,
      redisUrl: process.env.REDIS_URL,
      pathEnv: process.env.PATH ?? "/usr/bin:/bin",
      homeDir: process.env.HOME ?? "/tmp",
      forceReplay: true,
      stepTimeoutMs: 45_000,
      beforeStop: async ({ fixline, environment }) => {
        configuredUrl = environment.config.databaseUrl ?? "";
        // Notify jobs may still be on their way; every outbox row goes out without a single NOTIFY arriving.
        const deadline = Date.now() + 15_000;
        do {
          pending = await countPendingOutbox(fixline.db);
          if (pending === 0) break;
          await new Promise((done) => setTimeout(done, 200));
        } while (Date.now() < deadline);
      },
    });
    expect(result.agent).toBe("replay");
    expect(result.commits).toHaveLength(3);
    expect(result.commits[1]).toBe("test: skips lines whose product was removed");
    expect(result.commits[2]).toMatch(/^fix: /);
    // Every role was configured with the pooler's address (a per-run database behind it), not the server's.
    expect(new URL(configuredUrl).port).toBe(new URL(bouncer.url).port);
    expect(new URL(configuredUrl).pathname).toMatch(/^\/fixline_demo_/);
    expect(pending).toBe(0);
  });
});
