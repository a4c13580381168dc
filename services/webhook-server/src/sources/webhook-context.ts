import type { IncomingHttpHeaders } from "node:http";
import type { Logger } from "@fixline/core";
import type { AppDeps } from "../app-deps";

/** What a per-source handler gets: a verified delivery and the app's dependencies. */
export interface WebhookContext {
  deps: AppDeps;
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  /** The request's child logger; never given the body. */
  log: Logger;
}
