import { z } from "zod";

/** The operator's dashboard sign-in: the token only (a login here would be self-asserted). */
export const sessionBody = z.object({ token: z.string().min(1) }).strict();

/** Who the current credential acts as (GET /api/session). */
export const sessionSchema = z.object({
  kind: z.enum(["github", "operator"]),
  login: z.string().nullable(),
  via: z.string(),
  mayApprove: z.boolean().optional().describe("Operator only: whether the operator token may decide plans (operator.mayApprove)"),
});
export type SessionJson = z.infer<typeof sessionSchema>;

export const operatorSignInSchema = z.object({ kind: z.literal("operator"), login: z.null() });
