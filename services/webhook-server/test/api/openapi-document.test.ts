import Fastify from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { taskStates } from "@fixline/core";
import apiRoutes from "../../src/api/api-routes";
import { startApiTestApp, type ApiTestApp } from "./api-test-app";

let t: ApiTestApp;
beforeAll(async () => {
  t = await startApiTestApp();
});
afterAll(async () => {
  await t?.close();
});

it("the OpenAPI document lists exactly the /api routes the plugin registers", async () => {
  const app = Fastify();
  const registered = new Set<string>();
  app.addHook("onRoute", (route) => {
    const methods = ([] as string[]).concat(route.method).filter((m) => m !== "HEAD");
    if (!route.url.startsWith("/api/")) return;
    for (const method of methods) registered.add(`${method.toLowerCase()} ${route.url.replace(/:(\w+)/g, "{$1}")}`);
  });
  await app.register(apiRoutes, { deps: t.deps });
  await app.ready();

  const document = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
  expect(document.openapi).toBe("3.1.0");
  const documented = new Set<string>();
  for (const [path, operations] of Object.entries(document.paths as Record<string, object>)) {
    for (const method of Object.keys(operations)) documented.add(`${method} ${path}`);
  }
  expect([...documented].sort()).toEqual([...registered].sort());
  expect(registered.size).toBeGreaterThanOrEqual(11);
  await app.close();
});

it("is generated from the routes' zod schemas: every operation described, every $ref resolvable, enums from the domain", async () => {
  const document = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
  const operations = Object.entries(document.paths as Record<string, Record<string, { summary?: string; responses: Record<string, { description: string }> }>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method} ${path}`, ...op })),
  );
  for (const op of operations) {
    expect(op.summary, op.name).toBeTruthy();
    for (const [status, response] of Object.entries(op.responses)) expect(response.description, `${op.name} ${status}`).not.toBe("Default Response");
  }
  const refs = [...JSON.stringify(document).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
  expect(new Set(refs)).toEqual(new Set(Object.keys(document.components.schemas)));
  expect(document.components.schemas.Task.properties.state.enum).toEqual([...taskStates]);
  // What a route accepts is what its schema says: approve requires the plan SHA, and nothing else may be sent.
  const approve = document.paths["/api/tasks/{id}/approve"].post.requestBody.content["application/json"].schema;
  expect(approve).toMatchObject({ required: ["planSha"], additionalProperties: false });
  expect(document.paths["/api/tasks/{id}"].get.responses["200"].content["application/json"].schema.properties.task).toEqual({ $ref: "#/components/schemas/Task" });
});
