import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@fixline/testing";
import { createChaosWorld, webhookSecret, type ChaosWorld } from "./support/chaos-world";
import { freePort } from "./support/free-port";
import type { FixlineProcess } from "./support/fixline-process";
import { labelledIssue, signedGitHubDelivery } from "./support/github-deliveries";
import { createHttpPool } from "./support/http-pool";
import { shopScenario } from "./support/shop-fixtures";

/**
 * Issue 19: group commit answers a delivery only after the commit that holds it. So a webhook process
 * killed with SIGKILL while batches are in flight may lose deliveries it had not answered (their senders
 * retry), but never one it answered 2xx.
 */
describe("chaos: kill -9 of the webhook process mid-batch", () => {
  let world: ChaosWorld;
  let server: FixlineProcess;
  let url: string;
  beforeAll(async () => {
    world = await createChaosWorld({ scenario: shopScenario(0) });
    const port = await freePort();
    server = await world.start("webhook", { PORT: String(port) });
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await world?.close();
  });

  it("loses no delivery it acknowledged", async () => {
    const total = 3_000;
    const pool = createHttpPool(url, 64);
    const acknowledged: string[] = [];
    let unanswered = 0;
    const deliveries = Array.from({ length: total }, (_, i) => signedGitHubDelivery(webhookSecret, "issues", labelledIssue("acme/killed", i + 1), randomUUID()));
    const sending = deliveries.map((delivery) =>
      pool.post("/webhooks/github", delivery.headers, delivery.body, 20_000).then(
        (response) => {
          if (response.status === 200 && (JSON.parse(response.body) as { outcome: string }).outcome === "created") acknowledged.push(delivery.headers["x-github-delivery"]!);
          else unanswered++;
        },
        () => unanswered++,
      ),
    );
    await waitFor(() => acknowledged.length >= 400, { timeoutMs: 60_000, what: "400 acknowledged deliveries" });
    server.signal("SIGKILL");
    await Promise.all(sending);
    pool.close();
    const acked = [...acknowledged];
    // The kill landed mid-stream: some deliveries were never answered.
    expect(unanswered).toBeGreaterThan(0);
    expect(acked.length + unanswered).toBe(total);

    const rows = await world.db.selectFrom("deliveries").select(["delivery_id", "source_key"]).where("delivery_id", "in", acked).execute();
    const recorded = new Set(rows.map((r) => r.delivery_id));
    expect(acked.filter((id) => !recorded.has(id))).toEqual([]);
    const tasks = await world.db.selectFrom("tasks").select("source_key").where("source_key", "in", rows.map((r) => r.source_key!)).execute();
    expect(tasks).toHaveLength(acked.length);
    console.log(`[chaos] webhook kill -9 after ${acked.length} of ${total} acknowledged: all ${acked.length} recorded with their task; ${unanswered} unanswered`);
  });
});
