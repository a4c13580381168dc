import { FixlineError } from "@fixline/core";
import { integrationError } from "../errors/integration-error";

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function reasonOf(error: OctokitLikeError): string | undefined {
  const data = error.response?.data as { message?: unknown; errors?: Array<{ message?: unknown }> } | undefined;
  const nested = data?.errors?.map((e) => e.message).filter((m): m is string => typeof m === "string") ?? [];
  if (typeof data?.message === "string") return [data.message, ...nested].join(": ");
  return error.message;
}

/**
 * Maps an octokit RequestError (or a network failure) to a coded error naming the call. GitHub signals
 * primary rate limits with 403 + `x-ratelimit-remaining: 0` and secondary ones with 403 + retry-after;
 * both are outages to wait out, not rejections.
 */
export function githubRequestError(operation: string, error: unknown): FixlineError {
  if (error instanceof FixlineError) return error;
  const e = (error ?? {}) as OctokitLikeError;
  const headers = e.response?.headers ?? {};
  const retryAfter = headers["retry-after"] === undefined ? undefined : Number(headers["retry-after"]);
  const rateLimited = e.status === 403 && (String(headers["x-ratelimit-remaining"]) === "0" || retryAfter !== undefined);
  // octokit reports fetch failures (refused, reset, DNS) as status 500 with no response.
  const status = e.response === undefined && (e.status === undefined || e.status === 500) ? undefined : e.status;
  return integrationError({
    service: "GitHub",
    operation,
    ...(status === undefined ? {} : { status }),
    ...(reasonOf(e) === undefined ? {} : { reason: reasonOf(e) as string }),
    ...(retryAfter === undefined || Number.isNaN(retryAfter) ? {} : { retryAfterSeconds: retryAfter }),
    rateLimited,
    cause: error,
  });
}
