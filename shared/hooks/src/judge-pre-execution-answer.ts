/** What one pre_execution hook's answer means; pure, so every shape of answer is tested. */
export type HookJudgement = { allowed: true } | { allowed: false; reason: string };

/**
 * Non-2xx vetoes. A 2xx allows with an empty body or a JSON object, unless it says `"allow": false`.
 * A 2xx whose body is not a JSON object (an HTML error page from a proxy, a captive portal, a typo'd
 * endpoint) vetoes: a policy gate that did not answer as a policy gate must not wave work through (issue 16).
 */
export function judgePreExecutionAnswer(status: number, body: string): HookJudgement {
  if (status < 200 || status >= 300) return { allowed: false, reason: `answered HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ""}` };
  if (body.trim() === "") return { allowed: true };
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    return { allowed: false, reason: `answered HTTP ${status} with a body that is not JSON: ${body.slice(0, 120)}` };
  }
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) return { allowed: false, reason: `answered HTTP ${status} with JSON that is not an object` };
  const { allow, reason } = answer as { allow?: unknown; reason?: unknown };
  if (allow === false) return { allowed: false, reason: typeof reason === "string" ? reason : "vetoed without a reason" };
  return { allowed: true };
}
