import type { Redactor } from "@fixline/core";
import { integrationError, type IntegrationService } from "../errors/integration-error";

export interface JsonRequest {
  service: IntegrationService;
  /** Names the call in errors, e.g. `GET /rest/api/3/issue/{key}`. */
  operation: string;
  url: string;
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  headers?: Record<string, string>;
  /** Sent as JSON when defined. */
  body?: unknown;
  timeoutMs?: number;
  /** The outbound redactor (redactorFor(config)): the body never carries a secret (issue 14). */
  redactor: Redactor;
}

/** Pulls the human part out of the error shapes Jira, Sentry and Slack use. */
function describeErrorBody(text: string): string {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const parts: string[] = [];
    if (Array.isArray(parsed.errorMessages)) parts.push(...parsed.errorMessages.map(String));
    if (parsed.errors && typeof parsed.errors === "object") {
      for (const [field, message] of Object.entries(parsed.errors as Record<string, unknown>)) parts.push(`${field}: ${String(message)}`);
    }
    for (const key of ["detail", "message", "error"]) if (typeof parsed[key] === "string") parts.push(parsed[key]);
    if (parts.length > 0) return parts.join("; ").slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 300);
}

function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * One JSON call over fetch with a timeout; failures become coded integration errors. Returns the parsed
 * body, or undefined for an empty one (204, or Slack's plain `ok`).
 */
export async function requestJson<T>(request: JsonRequest): Promise<T | undefined> {
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  if (request.body !== undefined) headers["content-type"] = "application/json; charset=utf-8";
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? "GET",
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.redactor.redactDeep(request.body)),
      signal: AbortSignal.timeout(request.timeoutMs ?? 15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const reason = cause?.code ?? (error as Error).message;
    throw integrationError({ service: request.service, operation: request.operation, reason, cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    const retryAfter = retryAfterSeconds(response);
    throw integrationError({
      service: request.service,
      operation: request.operation,
      status: response.status,
      reason: describeErrorBody(text),
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
    });
  }
  if (text === "" || !(response.headers.get("content-type") ?? "").includes("json")) return undefined;
  return JSON.parse(text) as T;
}
