import type { FastifyInstance } from "fastify";
import type { Redactor } from "@fixline/core";

/** Bodies worth reading: what the API, the dashboard and the error handler send. Static assets stream past. */
const textual = /^(application\/(json|problem\+json|javascript)|text\/)/;

/**
 * One hook at the edge: every text response (REST JSON, errors, the dashboard's HTML) passes the outbound
 * redactor, so no route can forget it (issue 14). The SSE writer hijacks its reply and redacts on its own.
 */
export function installResponseRedaction(app: FastifyInstance, redactor: Redactor): void {
  app.addHook("onSend", async (_request, reply, payload) => {
    if (typeof payload === "string") return redactor.redact(payload);
    if (Buffer.isBuffer(payload) && textual.test(String(reply.getHeader("content-type") ?? ""))) {
      const text = payload.toString("utf8");
      const clean = redactor.redact(text);
      return clean === text ? payload : clean;
    }
    return payload;
  });
}
