import { z } from "zod";

/** Every refusal, like the webhook routes': `{ code, message }`, the message telling the caller what to fix. */
export const apiErrorSchema = z.object({ code: z.string(), message: z.string() }).meta({ id: "Error" });
export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * A response entry `{ 404: apiError("Unknown task") }`: the error body, with what it means on this route
 * (OpenAPI puts a response's description beside its content, not inside the shared schema).
 */
export const apiError = (description: string) => ({ description, content: { "application/json": { schema: apiErrorSchema } } });
