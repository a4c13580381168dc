import type { FastifyInstance } from "fastify";

/** The content types webhook senders use: JSON (GitHub, Sentry, Jira, Slack Events) and forms (Slack commands and interactions). */
export const webhookContentTypes = ["application/json", "application/x-www-form-urlencoded"];

/**
 * Keeps webhook bodies as the raw bytes: signatures cover exactly what was sent, so parsing waits until
 * after verification. Registered inside the webhook plugin only (content-type parsers are encapsulated),
 * so the REST API keeps Fastify's JSON parsing. Anything else is answered 415 by Fastify.
 */
export function registerRawBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(webhookContentTypes, { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));
}
