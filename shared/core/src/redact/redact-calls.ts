import type { Redactor } from "./create-redactor";

/**
 * Wraps a client so every argument of every method passes the redactor before the call: one seam per
 * outbound client (GitHub, Slack, Jira, Sentry) instead of one per message, so a new method cannot forget it.
 */
export function redactCalls<T extends object>(client: T, redactor: Redactor): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args.map((arg) => redactor.redactDeep(arg)));
    },
  });
}
