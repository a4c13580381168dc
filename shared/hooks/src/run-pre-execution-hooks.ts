import type { Config, Logger } from "@fixline/core";
import type { TaskRecord } from "@fixline/db";
import { buildHookPayload } from "./hook-payload";
import { deliverHook } from "./deliver-hook";
import { judgePreExecutionAnswer } from "./judge-pre-execution-answer";

export type PreExecutionVerdict = { allowed: true } | { allowed: false; hook: string; reason: string };

/**
 * Asks every `pre_execution` hook, in order, before any agent money is spent. A non-2xx answer,
 * `{ "allow": false, "reason": "..." }`, or a 2xx body that is not a JSON object vetoes (judgePreExecutionAnswer). A hook that cannot be reached within its timeout also
 * vetoes (fail closed: a policy gate that is down must not wave work through), and never waits longer
 * than its timeout.
 */
export async function runPreExecutionHooks(deps: { config: Config; logger: Logger; fetchImpl?: typeof fetch }, task: TaskRecord, attempt: string): Promise<PreExecutionVerdict> {
  for (const hook of deps.config.file.hooks.filter((h) => h.events.includes("pre_execution"))) {
    const deliveryId = `${hook.name}:pre_execution:${task.id}:${attempt}`;
    const payload = buildHookPayload({ event: "pre_execution", deliveryId, task, previousState: task.state, occurredAt: new Date(), publicUrl: deps.config.publicUrl });
    let response;
    try {
      response = await deliverHook(hook, deps.config.hookSecret, { event: "pre_execution", deliveryId, payload }, deps.fetchImpl);
    } catch (error) {
      return { allowed: false, hook: hook.name, reason: `hook unreachable: ${(error as Error).message}` };
    }
    const judgement = judgePreExecutionAnswer(response.status, response.body ?? "");
    if (!judgement.allowed) {
      deps.logger.warn({ hook: hook.name, reason: judgement.reason }, "pre_execution hook vetoed");
      return { allowed: false, hook: hook.name, reason: judgement.reason };
    }
  }
  return { allowed: true };
}
