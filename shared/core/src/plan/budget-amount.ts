/**
 * `budget=$8` (grant exactly this for execution) or `budget=+$5` (add to what was granted), as written in
 * `@agent approve budget=…`, the API's `budget` field and the dashboard (issue 21).
 */
export type BudgetRequest = { kind: "set"; usd: number } | { kind: "add"; usd: number };

/** No single grant above this: a typo (`budget=$5000`) must not become a blank cheque. */
export const maxBudgetGrantUsd = 1000;

const pattern = /^(\+)?\$?([0-9]{1,4}(?:\.[0-9]{1,2})?)$/;

/** Parses `$8`, `8`, `+$5`, `+5.50`; undefined for anything else (negative, zero, too large, not money). */
export function parseBudgetAmount(text: string): BudgetRequest | undefined {
  const match = pattern.exec(text.trim());
  if (!match) return undefined;
  const usd = Number(match[2]);
  if (!(usd > 0) || usd > maxBudgetGrantUsd) return undefined;
  return { kind: match[1] ? "add" : "set", usd };
}

/** The execution budget paused a task at this share of the grant spent. */
export const budgetPauseRatio = 0.8;
/** What the pause question offers: "continue with +$5?". */
export const budgetTopUpUsd = 5;
