import Fastify from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
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
