import type { FastifyReply } from "fastify";

export type ApiErrorCode = "PAYLOAD_MALFORMED" | "UNAUTHORIZED" | "FORBIDDEN" | "TASK_NOT_FOUND" | "ILLEGAL_TRANSITION" | "NOT_FOUND";

/** Error bodies match the webhook routes: `{ code, message }`, the message telling the caller what to fix. */
export function sendApiError(reply: FastifyReply, status: number, code: ApiErrorCode | string, message: string): FastifyReply {
  return reply.code(status).type("application/json").send({ code, message });
}
