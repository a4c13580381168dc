import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendWouldHaveSent, transition, updateTaskFields } from "@fixline/db";
import { apiToken, createTask, startApiTestApp, type ApiTestApp } from "../api/api-test-app";

const chromiumPath = "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);

let t: ApiTestApp;
let baseUrl: string;
let context: BrowserContext;
let page: Page;
let userDataDir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await startApiTestApp();
  baseUrl = await t.listen();
  userDataDir = mkdtempSync(join(tmpdir(), "fixline-chromium-dry-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await t?.close();
});

describe.skipIf(!hasChromium)("dashboard task page in dry run", () => {
  it("shows what would have been sent and the draft PR that was not opened, as text", async () => {
    const taskId = await createTask(t.deps, { title: "Checkout total off by one cent" });
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "plan_started" } });
    await appendWouldHaveSent(t.deps.db, taskId, { channel: "git", action: "push", target: "acme/shop:fixline/dry", summary: "push fixline/dry at 1234567 (adds PLAN.md)" });
    await appendWouldHaveSent(t.deps.db, taskId, { channel: "slack", action: "post_message", target: "C0FIXLINE", summary: "Plan ready <img src=x onerror=alert(1)>", event: "plan_ready" });
    await updateTaskFields(t.deps.db, taskId, { planMarkdown: "# Plan", data: { dryRunPullRequest: { title: "fixline: Checkout total off by one cent", body: "## Summary\nSum in cents." } } });
    await transition(t.deps.db, { taskId, expected: "planning", event: { type: "plan_ready", planSha: "e".repeat(40), prNumber: 0 } });

    await page.goto(baseUrl);
    // The operator may look: it signs in with the server's token (no GitHub login involved).
    await page.locator("summary").click();
    await page.locator("#signin-token").fill(apiToken);
    await page.getByRole("button", { name: "Sign in as operator" }).click();
    await page.locator("#task-rows").waitFor();
    await page.goto(`${baseUrl}/#/tasks/${taskId}`);

    const panel = page.locator("#dry-run-panel");
    await panel.waitFor({ state: "visible", timeout: 10_000 });
    const items = panel.locator(".would-have-sent li");
    expect(await items.count()).toBe(2);
    expect(await items.nth(0).textContent()).toContain("git push → acme/shop:fixline/dry");
    expect(await items.nth(1).getAttribute("data-channel")).toBe("slack");
    // Untrusted text stays text.
    expect(await items.nth(1).textContent()).toContain("<img src=x onerror=alert(1)>");
    expect(await panel.locator("img").count()).toBe(0);
    expect(await panel.locator("summary").textContent()).toBe("Draft PR it would have opened: fixline: Checkout total off by one cent");
    expect(await panel.locator("pre").textContent()).toBe("## Summary\nSum in cents.");
    expect(await page.locator(".task-head .dry-run-badge").textContent()).toBe("dry run: no PR");
  });
});
