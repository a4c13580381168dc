import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app-deps";

/** The REST API and dashboard routes (owned by the REST API engineer); a stub until they land. */
export default async function apiRoutes(_app: FastifyInstance, _opts: { deps: AppDeps }): Promise<void> {}
