import { createHmac, randomUUID } from "node:crypto";

export interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/** A GitHub webhook delivery signed like GitHub signs it (HMAC-SHA256 of the raw body, X-Hub-Signature-256). */
export function signedGitHubDelivery(secret: string, event: string, payload: unknown, deliveryId = randomUUID()): Delivery {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      "user-agent": "GitHub-Hookshot/chaos",
    },
  };
}

/** `issues.labeled` with the trigger label: what makes Fixline start a task for issue `number`. */
export function labelledIssue(repo: string, number: number, title = `Cart total throws for removed products (#${number})`): unknown {
  return {
    action: "labeled",
    label: { name: "fixline" },
    issue: { number, title, body: "computeTotal throws TypeError when a product was removed.", labels: [{ name: "fixline" }], user: { login: "reporter" } },
    repository: { full_name: repo },
    sender: { login: "reporter", type: "User" },
  };
}

/** `issue_comment.created` with `@agent approve` on Fixline's PR, by a user. */
export function approveComment(repo: string, prNumber: number, login: string): unknown {
  return {
    action: "created",
    issue: { number: prNumber, pull_request: { url: `https://api.github.com/repos/${repo}/pulls/${prNumber}` } },
    comment: { id: Math.floor(Math.random() * 1e9), body: "@agent approve", user: { login } },
    repository: { full_name: repo },
    sender: { login, type: "User" },
  };
}

export interface PostResult {
  status: number;
  headers: Headers;
  body: string;
}

export async function postDelivery(baseUrl: string, delivery: Delivery, path = "/webhooks/github"): Promise<PostResult> {
  const response = await fetch(`${baseUrl}${path}`, { method: "POST", headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(15_000) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}
