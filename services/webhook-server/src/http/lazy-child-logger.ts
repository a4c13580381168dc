import type { Logger } from "@fixline/core";

const levels = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);
const quiet = (): void => undefined;

/**
 * `parent.child(bindings)`, made only when something is logged at an enabled level. A pino child with
 * bindings serialises and redacts them at once; per webhook request that was about a quarter of the
 * handler's own CPU (issue 19's profile), for a logger that at the usual levels logs nothing on success.
 */
export function lazyChildLogger(parent: Logger, bindings: () => Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const made = (): Logger => (child ??= parent.child(bindings()));
  return new Proxy(parent, {
    get(_target, property) {
      if (child === undefined && typeof property === "string" && levels.has(property) && !parent.isLevelEnabled(property)) return quiet;
      const value: unknown = Reflect.get(made(), property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(made()) : value;
    },
  });
}
