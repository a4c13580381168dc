import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@fixline/testing";
import { demoNames, sendGitHubComment, sendSentryEventAlert, shopReplayScenario } from "../services/cli/src/demo/index";
import { startInProcessFixline, type InProcessFixline } from "./support/in-process-fixline";

/**
 * Issue 18: notify is the only voice. A failed execution used to be told twice on the pull request (the
 * executor's own comment and the notify worker's); every role runs here, and the fake GitHub counts what lands.
 */
let h: InProcessFixline;

beforeAll(async () => {
  const shop = shopReplayScenario();
  // The fix run changes nothing, so green is never reached and the execution fails after red is proven.
  const idleGreen = { match: "STEP 2 of 2", steps: [{ type: "text" as const, text: "Looking at computeTotal." }, { type: "result" as const, result: "Done." }] };
  h = await startInProcessFixline({ scenario: { ...shop, runs: shop.runs.map((run) => (run.match === "STEP 2 of 2" ? idleGreen : run)) } });
});

afterAll(async () => {
  await h?.close();
});

describe("a failed execution", () => {
  it("posts exactly one failure comment on the pull request, from the notify worker", async () => {
    const issueId = "4519253800";
    h.env.sentry.addIssue(issueId);
    const alert = await sendSentryEventAlert(h.target, { issueId });
    const taskId = (alert.body as { taskId: string }).taskId;
    const planned = await h.waitForState(taskId, "awaiting_approval");
    const onPr = () => h.env.github.state.comments.filter((c) => c.repo === demoNames.repo && c.issueNumber === planned.prNumber);
    const before = onPr().length;

    const approve = await sendGitHubComment(h.target, { prNumber: planned.prNumber!, body: "@agent approve" });
    expect(approve.status).toBe(200);
    const failed = await h.waitForState(taskId, "failed");
    expect(failed.errorCode).toBe("GREEN_NOT_REACHED");

    // The failure announcement goes through the outbox and the notify queue: wait until both are idle, so a
    // second comment, from any sender, would have landed before the count.
    await waitFor(
      async () => {
        const pending = await h.fixline.db.selectFrom("outbox").select("id").where("sent_at", "is", null).execute();
        const counts = await h.fixline.queues.queue("notify").getJobCounts("waiting", "active", "delayed", "prioritized");
        return pending.length === 0 && Object.values(counts).every((n) => n === 0) && onPr().length > before;
      },
      { what: "the outbox and the notify queue to be idle, with the failure said" },
    );
    const said = onPr().slice(before);
    expect(said).toHaveLength(1);
    expect(said[0]!.body).toContain("Fixline could not finish this fix: `GREEN_NOT_REACHED`");
    expect(said[0]!.body).toContain("Last proven phase: red");
    // The same failure reached the Slack thread once too.
    expect(h.env.slack.state.messages.filter((m) => m.text?.includes("GREEN_NOT_REACHED"))).toHaveLength(1);
  });
});
