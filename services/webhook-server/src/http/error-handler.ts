import type { FastifyError, FastifyInstance } from "fastify";
import { toFixlineError, type ErrorCode } from "@fixline/core";
import { metrics } from "@fixline/observability";
import { statusForCode } from "./status-for-code";
import { sourceFromUrl } from "./source-from-url";

/** Fastify's own errors (raised before a handler runs) mapped to our codes. */
function codeForFastifyError(error: FastifyError): ErrorCode | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "PAYLOAD_TOO_LARGE";
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "UNSUPPORTED_MEDIA_TYPE";
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_VALIDATION":
      return "PAYLOAD_MALFORMED";
    default:
      if (error instanceof SyntaxError) return "PAYLOAD_MALFORMED";
      if (error.statusCode === 413) return "PAYLOAD_TOO_LARGE";
      if (error.statusCode === 415) return "UNSUPPORTED_MEDIA_TYPE";
      if (error.statusCode === 400) return "PAYLOAD_MALFORMED";
      return undefined;
  }
}

/**
 * Every error leaves as `{ code, message }`: Fastify's body-limit, media-type and JSON errors, our coded
 * errors, and anything unexpected (500, logged with its stack, never with the body). Unknown routes get 404.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = codeForFastifyError(error);
    const fixline = mapped ? undefined : toFixlineError(error);
    const code = mapped ?? fixline!.code;
    const status = statusForCode(code);
    const message = mapped ? error.message : status >= 500 && code === "INTERNAL" ? "internal error; the server log has the details" : fixline!.message;
    const source = sourceFromUrl(request.url);
    if (source) {
      metrics.webhookDeliveries.inc({ source, outcome: status >= 500 ? (status === 503 ? "unavailable" : "error") : "rejected" });
    }
    if (status >= 500) {
      metrics.errors.inc({ type: code });
      request.log.error({ err: error, code, status }, "request failed");
    } else {
      request.log.warn({ code, status, reason: error.message }, "request rejected");
    }
    if (status === 503) reply.header("retry-after", "30");
    return reply.code(status).send({ code, message });
  });

  app.setNotFoundHandler((request, reply) => {
    const source = sourceFromUrl(request.url);
    if (source) metrics.webhookDeliveries.inc({ source, outcome: "rejected" });
    request.log.warn({ method: request.method, url: request.url }, "unknown route");
    return reply.code(404).send({ code: "NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0]}` });
  });
}
