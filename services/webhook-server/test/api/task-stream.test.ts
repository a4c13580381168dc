import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transition } from "@fixline/db";
import { bearer, createTask, readSse, startApiTestApp, type ApiTestApp } from "./api-test-app";

let t: ApiTestApp;
let baseUrl: string;
beforeAll(async () => {
  t = await startApiTestApp();
  baseUrl = await t.listen();
});
afterAll(async () => {
  await t?.close();
});

const assistant = (text: string) => JSON.stringify({ type: "assistant", message: { content: [{ type: "text", text }] } });
const toolUse = (command: string) => JSON.stringify({ type: "assistant", message: { content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command } }] } });

async function xadd(taskId: string, line: string): Promise<string> {
  return (await t.redis.producer.xadd(`task:${taskId}:output`, "*", "run", "r1", "phase", "planning", "type", "assistant", "line", line))!;
}

describe("GET /api/tasks/:id/stream", () => {
  it("sends readable output as it is written, then `end` once the task is finished", async () => {
    const taskId = await createTask(t.deps);
    await xadd(taskId, assistant("Reading the checkout code"));
    const abort = new AbortController();
    const response = await fetch(`${baseUrl}/api/tasks/${taskId}/stream`, { headers: bearer, signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = readSse(response);

    const first = (await events.next()).value!;
    expect(first.event).toBe("output");
    expect(JSON.parse(first.data).items).toEqual([{ kind: "text", text: "Reading the checkout code" }]);

    const state = (await events.next()).value!;
    expect(state).toMatchObject({ event: "state", data: JSON.stringify({ state: "received" }) });

    // Written after the client connected: it arrives live.
    const liveId = await xadd(taskId, toolUse("npm test -- total"));
    const live = (await events.next()).value!;
    expect(live.id).toBe(liveId);
    expect(JSON.parse(live.data).items[0]).toMatchObject({ kind: "tool_use", name: "Bash", summary: "npm test -- total" });

    await xadd(taskId, assistant("last words"));
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "cancel" } });
    const rest: Array<{ event: string; data: string }> = [];
    for await (const event of events) rest.push(event);
    expect(rest.map((e) => e.event)).toEqual(["output", "state", "end"]);
    expect(JSON.parse(rest[2]!.data)).toEqual({ state: "cancelled" });
    abort.abort();
  });

  it("resumes after Last-Event-ID with exactly what was missed", async () => {
    const taskId = await createTask(t.deps);
    const ids = [];
    for (const text of ["one", "two", "three"]) ids.push(await xadd(taskId, assistant(text)));
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "cancel" } });
    const response = await fetch(`${baseUrl}/api/tasks/${taskId}/stream`, { headers: { ...bearer, "last-event-id": ids[0]! } });
    const texts: string[] = [];
    for await (const event of readSse(response)) if (event.event === "output") texts.push(JSON.parse(event.data).items[0].text);
    expect(texts).toEqual(["two", "three"]);
  });

  it("accepts the dashboard's session cookie, and answers 404 / 400 / 401 before streaming", async () => {
    const taskId = await createTask(t.deps);
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "cancel" } });
    const signIn = await fetch(`${baseUrl}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: bearer.authorization.slice(7) }) });
    const cookie = signIn.headers.getSetCookie()[0]!.split(";")[0]!;
    const viaCookie = await fetch(`${baseUrl}/api/tasks/${taskId}/stream`, { headers: { cookie } });
    expect(viaCookie.status).toBe(200);
    await viaCookie.text();
    // The old cookie that carried the token itself is not a session any more.
    expect((await fetch(`${baseUrl}/api/tasks/${taskId}/stream`, { headers: { cookie: `fixline_token=${bearer.authorization.slice(7)}` } })).status).toBe(401);

    expect((await fetch(`${baseUrl}/api/tasks/${randomUUID()}/stream`, { headers: bearer })).status).toBe(404);
    const badId = await fetch(`${baseUrl}/api/tasks/${taskId}/stream`, { headers: { ...bearer, "last-event-id": "yesterday" } });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { message: string }).message).toContain("Last-Event-ID");
    expect((await fetch(`${baseUrl}/api/tasks/${taskId}/stream`)).status).toBe(401);
  });

  it("ends open streams when the app closes, so shutdown never waits on a viewer", async () => {
    const own = await startApiTestApp();
    try {
      const url = await own.listen();
      const taskId = await createTask(own.deps);
      const response = await fetch(`${url}/api/tasks/${taskId}/stream`, { headers: bearer });
      const events = readSse(response);
      expect((await events.next()).value?.event).toBe("state");
      const started = Date.now();
      await own.app.close();
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await events.next()).done).toBe(true);
    } finally {
      await own.close().catch(() => {});
    }
  });
});
