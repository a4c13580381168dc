import type { IncomingHttpHeaders } from "node:http";
import type { ErrorCode } from "@fixline/core";

export type Provider = "github" | "sentry" | "jira" | "slack";

export interface VerifyInput {
  /** The body exactly as received; signatures cover these bytes, never a re-serialisation. */
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  /** Every accepted secret (several during a rotation). Empty means "not configured": refuse. */
  secrets: readonly string[];
  nowMs: number;
}

export type VerifyResult = { ok: true } | { ok: false; code: Extract<ErrorCode, "SIGNATURE_MISSING" | "SIGNATURE_INVALID" | "TIMESTAMP_OUT_OF_WINDOW">; message: string };

/** A pure function: no I/O, no clock of its own, so vectors and edge cases are plain unit tests. */
export type Verifier = (input: VerifyInput) => VerifyResult;
