import { FixlineError, redactorFor, type Config, type HookConfig } from "@fixline/core";
import { hookDeliveryHeader, hookEventHeader, hookSignatureHeader, signHookBody } from "./sign-hook";

export interface HookResponse {
  status: number;
  body: string;
}

/**
 * One signed POST with a timeout. Transport errors, timeouts, 5xx and 429 are retryable; other non-2xx
 * answers are returned for the caller to judge (a veto for pre_execution, a permanent refusal otherwise).
 */
export async function deliverHook(hook: HookConfig, config: Config, input: { event: string; deliveryId: string; payload: unknown }, fetchImpl: typeof fetch = fetch): Promise<HookResponse> {
  // The payload passes the outbound redactor before it is signed (issue 14): receivers never see a secret.
  const body = JSON.stringify(redactorFor(config).redactDeep(input.payload));
  const secret = config.hookSecret;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Fixline-Hooks/1",
    [hookDeliveryHeader]: input.deliveryId,
    [hookEventHeader]: input.event,
  };
  const key = hook.secret ?? secret;
  if (key) headers[hookSignatureHeader] = signHookBody(key, body);
  let response: Response;
  try {
    response = await fetchImpl(hook.url, { method: "POST", headers, body, signal: AbortSignal.timeout(hook.timeoutMs) });
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? `no answer within ${hook.timeoutMs} ms` : (error as Error).message;
    throw new FixlineError("INTEGRATION_FAILED", `hook ${hook.name} (${input.event}) unreachable: ${reason}`, { retryable: true });
  }
  const text = (await response.text().catch(() => "")).slice(0, 2_000);
  if (response.status >= 500 || response.status === 429) {
    throw new FixlineError("INTEGRATION_FAILED", `hook ${hook.name} (${input.event}) answered ${response.status}`, { retryable: true });
  }
  return { status: response.status, body: text };
}
