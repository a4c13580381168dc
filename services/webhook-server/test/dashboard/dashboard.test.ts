import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAgentRun, openAgentRun, transition, updateTaskFields } from "@fixline/db";
import { silentLogger } from "@fixline/core";
import { createGitHub } from "@fixline/integrations";
import { startFakeGitHub, waitFor, type FakeGitHub } from "@fixline/testing";
import { bearer, freePort, startApiTestApp, type ApiTestApp } from "../api/api-test-app";

const chromiumPath = "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);
const artifacts = fileURLToPath(new URL("../../../../test-artifacts/dashboard/", import.meta.url));
if (!hasChromium) console.warn(`dashboard browser test skipped: ${chromiumPath} is missing (apt-get install chromium; .ci/run installs it)`);

let t: ApiTestApp;
let github: FakeGitHub;
let baseUrl: string;
let context: BrowserContext;
let page: Page;
let userDataDir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(artifacts, { recursive: true });
  // "Sign in with GitHub" against the fake GitHub's OAuth endpoints; permissions are checked live there too.
  github = await startFakeGitHub();
  github.enableOAuth({ clientId: "Iv1.dashboard", clientSecret: "dashboard-oauth-secret" });
  github.addRepo("acme/shop");
  github.setRole("acme/shop", "maintainer", "maintain");
  github.signInBrowserAs("maintainer");
  const port = await freePort();
  t = await startApiTestApp({
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: "ghp_fixline_fake",
      GITHUB_OAUTH_CLIENT_ID: "Iv1.dashboard",
      GITHUB_OAUTH_CLIENT_SECRET: "dashboard-oauth-secret",
      FIXLINE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      FIXLINE_CONFIG: "routing:\n  defaultRepo: acme/shop\n",
    },
    checkPermission: (config) => {
      const client = createGitHub(config, silentLogger())!;
      return (repo, login) => client.getPermission(repo, login);
    },
  });
  baseUrl = await t.listen(port);
  userDataDir = mkdtempSync(join(tmpdir(), "fixline-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1400, height: 1000 },
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await t?.close();
  await github?.close();
});

const line = (message: unknown) => JSON.stringify(message);
/** What a planning run of Claude writes, as stream-json lines. */
const planningOutput = [
  line({ type: "system", subtype: "init", model: "claude-sonnet-4-5", tools: ["Bash", "Read", "Grep", "Write"], session_id: "s1" }),
  line({ type: "assistant", message: { content: [{ type: "text", text: "I'll start by finding where the checkout total is computed." }] } }),
  line({ type: "assistant", message: { content: [{ type: "tool_use", id: "t1", name: "Grep", input: { pattern: "function total", path: "src" } }] } }),
  line({ type: "user", message: { content: [{ type: "tool_result", tool_use_id: "t1", content: "src/cart/total.ts:12:export function total(items: Item[]) {" }] } }),
  line({ type: "assistant", message: { content: [{ type: "tool_use", id: "t2", name: "Bash", input: { command: "npm test -- cart" } }] } }),
  line({ type: "user", message: { content: [{ type: "tool_result", tool_use_id: "t2", content: "PASS src/cart/total.test.ts\n  ✓ sums prices (3 ms)\n  ✓ applies discounts (1 ms)\n\nTests: 2 passed", is_error: false }] } }),
  line({ type: "assistant", message: { content: [{ type: "text", text: "The bug is float rounding: prices are summed as floats, then rounded once. I'll write PLAN.md." }] } }),
  line({ type: "result", subtype: "success", is_error: false, result: "PLAN.md written", total_cost_usd: 0.1834, num_turns: 6, duration_ms: 48_200 }),
];

const plan = `# Plan: checkout total off by one cent

## Root cause
\`total()\` sums prices as floating point numbers and rounds once at the end.

## Failing test
- \`src/cart/total.test.ts\`: three items at 0.10 total 0.30

## Fix
1. Sum in integer cents.
2. Format once.

## Test command
\`\`\`
npm test -- cart
\`\`\`
`;

describe.skipIf(!hasChromium)("dashboard in headless Chromium", () => {
  it("signs in with GitHub, shows a new task live, streams its output and approves it as the verified login", async () => {
    await page.goto(baseUrl);
    await page.getByRole("link", { name: "Sign in with GitHub" }).click();
    // Fixline -> GitHub's authorize page -> back to Fixline's callback -> the dashboard, signed in.
    await page.locator("#task-rows").waitFor();
    await expect.poll(() => page.locator("#who-login").textContent()).toBe("@maintainer");
    const cookies = await context.cookies(baseUrl);
    expect(cookies.find((c) => c.name === "fixline_session")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    expect(cookies.some((c) => c.name === "fixline_login" || c.name === "fixline_token")).toBe(false);

    // A task created while the list is open appears without a reload.
    const created = await fetch(`${baseUrl}/api/tasks`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ repo: "acme/shop", description: "Checkout total is off by one cent for three items at $0.10" }),
    });
    expect(created.status).toBe(201);
    const taskId = ((await created.json()) as { task: { id: string } }).task.id;
    const row = page.locator(`tr[data-id="${taskId}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator(".state").textContent()).toBe("received");
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "plan_started" } });
    await expect.poll(() => row.locator(".state").textContent(), { timeout: 10_000 }).toBe("planning");
    await page.screenshot({ path: join(artifacts, "1-task-list.png") });

    // Filters narrow the list (and live in the URL, so a filtered view can be shared).
    await page.locator('select[name="state"]').selectOption("completed");
    await page.locator("td.empty").waitFor();
    expect(page.url()).toContain("state=completed");
    await page.locator('select[name="state"]').selectOption("planning");
    await row.waitFor();

    // The task page: output lines arrive one by one while the agent "runs".
    await row.click();
    await page.locator("#output").waitFor();
    const key = `task:${taskId}:output`;
    const rows = page.locator("#output .o-row:not(.o-empty)");
    let shown = 0;
    for (const [i, entry] of planningOutput.entries()) {
      await t.redis.producer.xadd(key, "*", "run", "r1", "phase", "planning", "type", "x", "line", entry);
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(shown);
      shown = await rows.count();
      if (i === 3) await page.screenshot({ path: join(artifacts, "2-output-streaming.png") });
    }
    await expect.poll(() => page.locator("#output .o-tool").first().textContent()).toContain("Grep: function total in src");
    expect(await page.locator("#output .o-tool").nth(1).textContent()).toContain("Bash: npm test -- cart");
    expect(await page.locator("#output .o-summary").textContent()).toContain("6 turns · $0.183");
    // Tool input is readable on demand, not raw JSON in the stream.
    expect(await page.locator("#output").textContent()).not.toContain('"type":"tool_use"');

    // The plan lands: the page shows it and enables Approve.
    const run = await openAgentRun(t.deps.db, { taskId, phase: "planning", transcriptPath: "/tmp/none.jsonl", model: "claude-sonnet-4-5" });
    await closeAgentRun(t.deps.db, run.id, { status: "succeeded", durationMs: 48_200, numTurns: 6, costUsd: 0.1834, inputTokens: 18_400, outputTokens: 2_150, sessionId: "s1" });
    await updateTaskFields(t.deps.db, taskId, { planMarkdown: plan, prUrl: "https://github.com/acme/shop/pull/42" });
    await transition(t.deps.db, { taskId, expected: "planning", event: { type: "plan_ready", planSha: "a".repeat(40), prNumber: 42 } });
    const approve = page.locator('button[data-action="approve"]');
    await expect.poll(() => approve.isEnabled(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.locator("#plan h1").textContent()).toBe("Plan: checkout total off by one cent");
    await page.screenshot({ path: join(artifacts, "3-awaiting-approval.png"), fullPage: true });

    await approve.click();
    await expect.poll(() => page.locator(".task-head .state").textContent(), { timeout: 10_000 }).toBe("approved");
    expect(await page.locator("#action-status").textContent()).toContain("Approved as @maintainer");
    const approval = await t.deps.db.selectFrom("approvals").selectAll().where("task_id", "=", taskId).executeTakeFirstOrThrow();
    // The plan SHA on screen went with the click; the event names the login GitHub vouched for.
    expect(approval).toMatchObject({ login: "maintainer", via: "dashboard", plan_sha: "a".repeat(40) });
    const approveEvent = await t.deps.db.selectFrom("task_events").selectAll().where("task_id", "=", taskId).where("type", "=", "approve").executeTakeFirstOrThrow();
    expect(approveEvent.actor).toEqual({ via: "dashboard", login: "maintainer" });
    expect(github.received.some((r) => r.path === "/repos/acme/shop/collaborators/maintainer/permission")).toBe(true);

    // The executor's lines keep arriving on the same page.
    await transition(t.deps.db, { taskId, expected: "approved", event: { type: "execution_started" } });
    await t.redis.producer.xadd(key, "*", "run", "r2", "phase", "red", "type", "fixline", "line", line({ type: "fixline", kind: "phase", phase: "red", text: "red: proving the new test fails" }));
    await t.redis.producer.xadd(key, "*", "run", "r2", "phase", "red", "type", "fixline", "line", line({ type: "fixline", kind: "log", phase: "red", text: "FAIL src/cart/total.test.ts › three items at 0.10 total 0.30" }));
    await waitFor(async () => (await page.locator("#output .o-log").count()) > 0, { what: "executor log line" });
    await expect.poll(() => page.locator(".task-head .state").textContent(), { timeout: 10_000 }).toBe("executing");
    await updateTaskFields(t.deps.db, taskId, {
      evidence: {
        red: { command: "npm test -- cart", exitCode: 1, failingTests: ["three items at 0.10 total 0.30"], outputExcerpt: "FAIL src/cart/total.test.ts\n  ✕ three items at 0.10 total 0.30\n    Expected: 0.3\n    Received: 0.30000000000000004", durationMs: 800 },
        green: { command: "npm test", passed: 3, failed: 0, skipped: 0, reruns: 1, durationMs: 1200 },
        usage: [{ phase: "red", costUsd: 0.3, turns: 5, inputTokens: 8000, outputTokens: 600 }],
        baseline: { commit: "0123456789abcdef0123", passed: 2, failed: 0, preExistingFailures: [] },
        fixDiff: "--- a/src/cart/total.ts\n+++ b/src/cart/total.ts\n-  return sum + price;\n+  return Math.round((sum + price) * 100) / 100;",
      },
    });
    // The evidence reads like a report: the failing test by name, the green counts, the fix itself, no raw keys.
    await page.locator("#evidence .phase.red").waitFor({ timeout: 10_000 });
    expect(await page.locator("#evidence .phase.red li").allTextContents()).toEqual(["three items at 0.10 total 0.30"]);
    expect(await page.locator("#evidence .phase.green").textContent()).toContain("3 passed, 0 failed, 0 skipped; 1 rerun");
    expect(await page.locator("#evidence pre.diff").textContent()).toContain("+  return Math.round((sum + price) * 100) / 100;");
    expect(await page.locator("#evidence").textContent()).not.toMatch(/usage|baseline|exitCode/);
    // An executing task offers no decision on its plan.
    expect(await page.locator('button[data-action="approve"]').isHidden()).toBe(true);
    await page.screenshot({ path: join(artifacts, "4-executing.png"), fullPage: true });

    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(artifacts, "5-executing-dark.png") });

    // The queue view opens with the same session.
    const queues = await page.goto(`${baseUrl}/queues`);
    expect(queues?.status()).toBe(200);
  });
});
