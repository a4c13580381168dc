import { z } from "zod";
import { outageProviders } from "../errors/outage-provider";

/** Outages in progress (issue 20): the circuit breakers that have paused work instead of failing it. */
export const statusSchema = z.object({
  breakers: z.array(
    z.object({
      provider: z.enum(outageProviders),
      status: z.enum(["open", "probing"]).describe("open: work is paused until `until`; probing: the next job tries again"),
      since: z.iso.datetime(),
      until: z.iso.datetime(),
      failures: z.number().int(),
      code: z.string(),
      message: z.string(),
    }),
  ),
});
export type StatusJson = z.infer<typeof statusSchema>;
