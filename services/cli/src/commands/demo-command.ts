import { homedir } from "node:os";
import type { Command } from "commander";

/** `fixline demo` (and `make demo`): the whole flow on this machine, with only Postgres and Redis running. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("run the whole flow locally: Sentry alert -> draft PR with PLAN.md -> @agent approve -> ready PR (fake provider APIs, a sample repo)")
    .option("--keep", "keep Fixline and the fakes running after the PR is ready, to browse the dashboard (Ctrl-C stops)")
    .option("--replay", "use the scripted replay agent even when the Claude CLI is logged in")
    .option("--verbose", "show Fixline's own logs")
    .action(async (options: { keep?: boolean; replay?: boolean; verbose?: boolean }) => {
      // One Ctrl-C can arrive twice (the terminal signals the whole group; wrappers relay it). With `once`, the
      // repeat found no listener and killed the process mid-cleanup, leaving the temp dir, database and Redis
      // keys behind (issue 17); without --keep, any Ctrl-C did. Now the first signal stops the demo where it is
      // (or ends --keep) and the cleanup runs; only a late or third signal forces an exit.
      const { decideOnSignal } = await import("@fixline/queue");
      const interrupted = new AbortController();
      const seen: number[] = [];
      const onSignal = () => {
        const decision = decideOnSignal(seen, Date.now());
        seen.push(Date.now());
        if (decision === "exit") process.exit(130);
        if (decision === "drain") interrupted.abort();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      const keepUntil = options.keep ? new Promise<void>((resolve) => interrupted.signal.addEventListener("abort", () => resolve(), { once: true })) : undefined;
      // The entry point reads the environment; runDemo gets plain values.
      const claudeAuthEnv = Object.fromEntries(
        ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "CLAUDE_BIN"].filter((name) => process.env[name]).map((name) => [name, process.env[name]]),
      );
      // Loaded when the demo runs: it pulls in every role and the fakes (see server-commands.ts).
      const { runDemo } = await import("../demo/index");
      try {
        await runDemo({
          out: process.stdout,
          databaseUrl: process.env.DATABASE_URL || undefined,
          redisUrl: process.env.REDIS_URL || undefined,
          pathEnv: process.env.PATH ?? "/usr/bin:/bin",
          homeDir: process.env.HOME ?? homedir(),
          claudeAuthEnv,
          forceReplay: options.replay === true || process.env.FIXLINE_DEMO_REPLAY === "1",
          logLevel: options.verbose ? "info" : "silent",
          ...(keepUntil ? { keepUntil } : {}),
          signal: interrupted.signal,
        });
        process.exitCode = 0;
      } catch {
        // Stopped by Ctrl-C before the PR was ready: cleaned up, but not a success.
        process.exitCode = interrupted.signal.aborted ? 130 : 1;
      }
    });
}
