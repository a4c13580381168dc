import { randomUUID } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { transition } from "@fixline/db";
import { createWorkspaces, type Workspaces } from "@fixline/git";
import { createSampleRemote } from "@fixline/testing";
import { buildApp } from "../../src/build-app";
import { bearer, createTask, startApiTestApp, type ApiTestApp, userToken } from "./api-test-app";

let t: ApiTestApp;
let root: string;
let workspaces: Workspaces;
const later = 90_000;

const exists = (path: string) => stat(path).then(() => true, () => false);
const list = async () => (await t.app.inject({ method: "GET", url: "/api/workspaces", headers: bearer })).json() as Array<Record<string, unknown>>;
const remove = (id: string, headers: Record<string, string> = bearer) => t.app.inject({ method: "DELETE", url: `/api/workspaces/${id}`, headers });

async function workspaceFor(taskId: string): Promise<string> {
  const workspace = await workspaces.prepare({ taskId, repo: "acme/shop", branch: `fixline/${taskId.slice(0, 8)}-test` });
  return workspace.path;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "fixline-api-workspaces-"));
  await createSampleRemote({ root: join(root, "remotes"), owner: "acme", name: "shop" });
  workspaces = createWorkspaces({
    workspaceDir: join(root, "workspaces"),
    gitBaseUrl: join(root, "remotes"),
    author: { name: "Fixline", email: "fixline@example.com" },
    logger: silentLogger(),
    pathEnv: process.env.PATH,
  });
  // The clock runs 90s ahead so every age is measurable.
  t = await startApiTestApp({ workspaces, nowMs: () => Date.now() + later });
});

afterAll(async () => {
  await t?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("GET /api/workspaces", () => {
  it("lists each worktree with its size, age, branch, repo and task state, and marks orphans", async () => {
    const waiting = await createTask(t.deps);
    const planning = await createTask(t.deps);
    await transition(t.deps.db, { taskId: planning, expected: "received", event: { type: "plan_started" } });
    const orphan = randomUUID();
    const paths = { waiting: await workspaceFor(waiting), planning: await workspaceFor(planning), orphan: await workspaceFor(orphan) };

    const body = await list();
    const byId = new Map(body.map((w) => [w.taskId, w]));
    expect(byId.get(waiting)).toMatchObject({ path: paths.waiting, branch: `fixline/${waiting.slice(0, 8)}-test`, repo: "acme/shop", state: "received" });
    expect(byId.get(planning)).toMatchObject({ path: paths.planning, state: "planning" });
    expect(byId.get(orphan)).toMatchObject({ path: paths.orphan, state: "orphaned", repo: "acme/shop" });
    for (const w of [byId.get(waiting)!, byId.get(orphan)!]) {
      expect(w.sizeBytes as number).toBeGreaterThan(100);
      expect(w.ageSeconds as number).toBeGreaterThanOrEqual(later / 1000 - 5);
      expect(w.ageSeconds as number).toBeLessThan(later / 1000 + 60);
    }
  });

  it("answers 401 without the token, and 503 where no workspaces are configured", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/workspaces" })).statusCode).toBe(401);
    expect((await remove(randomUUID(), {})).statusCode).toBe(401);
    const { workspaces: _configured, ...withoutWorkspaces } = t.deps;
    const bare = await buildApp(withoutWorkspaces);
    try {
      for (const method of ["GET", "DELETE"] as const) {
        const response = await bare.inject({ method, url: method === "GET" ? "/api/workspaces" : `/api/workspaces/${randomUUID()}`, headers: bearer });
        expect(response.statusCode, method).toBe(503);
        expect(response.json()).toMatchObject({ code: "WORKSPACES_UNAVAILABLE" });
      }
    } finally {
      await bare.close();
    }
  });
});

describe("DELETE /api/workspaces/:taskId", () => {
  it("removes an idle task's worktree with 204, and says 404 afterwards", async () => {
    const taskId = await createTask(t.deps);
    const path = await workspaceFor(taskId);
    // A GitHub user's credential may look, not remove: disk housekeeping is the operator's.
    const asUser = await remove(taskId, await userToken(t.deps, "maintainer"));
    expect(asUser.statusCode).toBe(403);
    expect(await exists(path)).toBe(true);
    const response = await remove(taskId);
    expect(response.statusCode).toBe(204);
    expect(await exists(path)).toBe(false);
    expect((await list()).some((w) => w.taskId === taskId)).toBe(false);
    const again = await remove(taskId);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: "WORKSPACE_NOT_FOUND" });
  });

  it("removes an orphan by its short id", async () => {
    const orphan = randomUUID();
    const path = await workspaceFor(orphan);
    expect((await remove(orphan.slice(0, 8))).statusCode).toBe(204);
    expect(await exists(path)).toBe(false);
  });

  it("refuses with 409 while the task is planning or executing, and keeps the worktree", async () => {
    const taskId = await createTask(t.deps);
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "plan_started" } });
    const path = await workspaceFor(taskId);
    const planning = await remove(taskId);
    expect(planning.statusCode).toBe(409);
    expect(planning.json()).toMatchObject({ code: "WORKSPACE_IN_USE" });
    expect(planning.json().message).toContain("planning");

    // Executing is reached through approval; set it directly, the route only reads the state.
    await t.deps.db.updateTable("tasks").set({ state: "executing" }).where("id", "=", taskId).execute();
    expect((await remove(taskId)).statusCode).toBe(409);
    expect(await exists(path)).toBe(true);

    await t.deps.db.updateTable("tasks").set({ state: "failed" }).where("id", "=", taskId).execute();
    expect((await remove(taskId)).statusCode).toBe(204);
    expect(await exists(path)).toBe(false);
  });

  it("answers 404 for a task without a workspace and never treats the id as a path", async () => {
    const taskId = await createTask(t.deps);
    expect((await remove(taskId)).statusCode).toBe(404);
    const traversal = await remove(encodeURIComponent("../../remotes"));
    expect(traversal.statusCode).toBe(404);
    expect(await exists(join(root, "remotes", "acme", "shop.git"))).toBe(true);
  });
});
