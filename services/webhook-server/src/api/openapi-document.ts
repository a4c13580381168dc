import { z } from "zod";
import fastifySwagger, { type SwaggerTransformObject } from "@fastify/swagger";
import type { FastifyBaseLogger, FastifyInstance, FastifySchemaValidationError, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";

/** A Fastify scope whose route schemas are zod (from @fixline/core's API contract): typed, validated, documented. */
export type ZodApi = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

const description =
  "Tasks, their live output and the human decisions on them. Authenticate with `Authorization: Bearer <personal API token>` (created on the dashboard after Sign in with GitHub; acts as your GitHub login), the dashboard's session cookie, or the operator's `FIXLINE_API_TOKEN` (acts as `operator`: reads, cancels, retries; approves only with operator.mayApprove).";

/**
 * "state: Invalid option: expected one of ...": the wrong field first, the way callers (and the tests)
 * read a 400. The error handler turns it into `{ code: PAYLOAD_MALFORMED, message }`.
 */
export function describeValidationErrors(errors: FastifySchemaValidationError[], context: string): Error {
  const message = errors.map((e) => `${e.instancePath.replace(/^\//, "").replace(/\//g, ".") || context}: ${e.message ?? "invalid"}`).join("; ");
  return new Error(message);
}

/**
 * The transform lists every named zod schema twice (as read, `TaskInput`, and as sent, `Task`) and any
 * other package's named schemas too; the document keeps the ones its operations refer to.
 */
function withoutUnusedComponents(document: ReturnType<SwaggerTransformObject>): ReturnType<SwaggerTransformObject> {
  if (!("components" in document) || !document.components?.schemas) return document;
  const { schemas } = document.components;
  const referenced = (value: unknown) => new Set([...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!));
  // Components may refer to others (a Task page to Task): follow references until nothing new appears.
  let kept = referenced({ ...document, components: { ...document.components, schemas: {} } });
  for (let size = -1; size !== kept.size; ) {
    size = kept.size;
    kept = new Set([...kept, ...referenced([...kept].map((name) => schemas[name]))]);
  }
  // The transform built this object for this document alone: pruning it in place touches nothing shared.
  for (const name of Object.keys(schemas)) if (!kept.has(name)) delete schemas[name];
  return document;
}

/**
 * Makes `app` the REST API's scope: requests are validated and responses checked against the zod
 * schemas of each route, and `GET /api/openapi.json` serves the OpenAPI document @fastify/swagger
 * generates from those same schemas, so the document cannot drift from what the routes accept and send.
 * Call before registering the routes: the document is collected as they are added. (It returns nothing:
 * a Fastify instance is thenable, so an async function cannot hand one back.)
 */
export async function describeApi(app: FastifyInstance): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setSchemaErrorFormatter(describeValidationErrors);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Fixline API", version: "1.0.0", description },
      servers: [{ url: "/" }],
      security: [{ bearer: [] }, { session: [] }],
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "A personal API token (fxl_…) or the operator's FIXLINE_API_TOKEN" },
          session: { type: "apiKey", in: "cookie", name: "fixline_session", description: "Set by Sign in with GitHub (/auth/github) or operator sign-in" },
        },
      },
    },
    // Named schemas (`.meta({ id: "Task" })` in @fixline/core) become components, referenced by $ref.
    transform: jsonSchemaTransform,
    transformObject: (document) => withoutUnusedComponents(jsonSchemaTransformObject(document)),
  });
  const document = { description: "OpenAPI 3.1 document", content: { "application/json": { schema: z.looseObject({ openapi: z.string() }) } } };
  app.get("/api/openapi.json", { schema: { summary: "This document", security: [], response: { 200: document } } }, async () => app.swagger());
}
