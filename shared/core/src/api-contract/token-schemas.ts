import { z } from "zod";

export const createApiTokenBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();

/** A personal API token as its owner sees it: never its secret, except once in the create response. */
export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    login: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "ApiToken" });
export type ApiTokenJson = z.infer<typeof apiTokenSchema>;

export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string().describe("fxl_…, shown once") });

export const apiTokenListSchema = z.object({ tokens: z.array(apiTokenSchema) });

export const apiTokenIdParams = z.object({ id: z.string() });
