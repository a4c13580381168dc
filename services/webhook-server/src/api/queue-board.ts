import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance } from "fastify";
import { configuredPools } from "@fixline/core";
import { isPooledQueue, queueNames } from "@fixline/queue";
import type { AppDeps } from "../app-deps";
import type { preHandlerAsyncHookHandler } from "fastify";
import { sendApiError } from "./api-errors";

export const queueBoardPath = "/queues";

/** bull-board at /queues, behind the same token or dashboard session as the API. */
export async function queueBoard(app: FastifyInstance, deps: AppDeps, requireCredential: preHandlerAsyncHookHandler): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(queueBoardPath);
  createBullBoard({
    // Every pool's planning and execution queue (issue 20), so a stranded pool shows here too.
    queues: queueNames.flatMap((name) => (isPooledQueue(name) ? configuredPools(deps.config) : [undefined]).map((pool) => new BullMQAdapter(deps.queues.queue(name, pool)))),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Fixline queues" } },
  });
  await app.register(
    async (board) => {
      board.addHook("onRequest", requireCredential);
      // bull-board's buttons retry, promote and delete jobs: operator work, not any signed-in reader's.
      board.addHook("preHandler", async (request, reply) => {
        if (request.method !== "GET" && request.fixlineCredential?.kind !== "operator") {
          await sendApiError(reply, 403, "FORBIDDEN", "Changing queues from /queues needs the operator token.");
        }
      });
      await board.register(serverAdapter.registerPlugin());
    },
    { prefix: queueBoardPath },
  );
}
