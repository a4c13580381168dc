import type { FastifyReply } from "fastify";
import type { z } from "zod";

export type ApiErrorCode = "PAYLOAD_MALFORMED" | "UNAUTHORIZED" | "FORBIDDEN" | "TASK_NOT_FOUND" | "ILLEGAL_TRANSITION" | "NOT_FOUND";

/** Error bodies match the webhook routes: `{ code, message }`, the message telling the caller what to fix. */
export function sendApiError(reply: FastifyReply, status: number, code: ApiErrorCode | string, message: string): FastifyReply {
  return reply.code(status).type("application/json").send({ code, message });
}

/** Names the wrong field first, so a 400 reads "state: Invalid option: expected one of ..." */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}
