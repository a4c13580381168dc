import type { TokenGuessGuard } from "./token-guess-guard";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance } from "fastify";
import { queueNames } from "@fixline/queue";
import type { AppDeps } from "../app-deps";
import { requireApiToken } from "./api-auth";

export const queueBoardPath = "/queues";

/** bull-board at /queues, behind the same token or dashboard session as the API. */
export async function queueBoard(app: FastifyInstance, deps: AppDeps, guard?: TokenGuessGuard): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(queueBoardPath);
  createBullBoard({
    queues: queueNames.map((name) => new BullMQAdapter(deps.queues.queue(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Fixline queues" } },
  });
  await app.register(
    async (board) => {
      board.addHook("onRequest", requireApiToken(deps.config.apiToken, guard));
      await board.register(serverAdapter.registerPlugin());
    },
    { prefix: queueBoardPath },
  );
}
