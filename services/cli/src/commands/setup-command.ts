import { hostname } from "node:os";
import { dirname } from "node:path";
import type { Command } from "commander";

/** `fixline setup github`: create the GitHub App from a manifest and write its credentials to .env (issue 17). */
export function registerSetupCommand(program: Command): void {
  const setup = program.command("setup").description("guided setup of an integration (writes what it creates to .env)");
  setup
    .command("github")
    .description("create Fixline's GitHub App from a manifest in your browser, then write GITHUB_APP_ID, its key and webhook secret to .env")
    .option("--org <org>", "create the App under this organisation (default: your user)")
    .option("--name <name>", "the App's name (unique on GitHub)", `fixline-${hostname().toLowerCase().replace(/[^a-z0-9-]/g, "").slice(0, 20) || "local"}`)
    .option("--webhook-url <url>", "where GitHub delivers webhooks (default: FIXLINE_PUBLIC_URL/webhooks/github; a smee.io channel for a laptop)")
    .option("--port <port>", "the local page's port (0 = any free one)", "0")
    .option("--env-path <path>", "the .env to write (default: the repository's)")
    .action(async (options: { org?: string; name: string; webhookUrl?: string; port: string; envPath?: string }) => {
      const [{ loadConfig }, { dotEnvPath }, { runGitHubAppSetup, defaultKeyPath }] = await Promise.all([import("@fixline/core"), import("../runtime/dot-env-path"), import("../setup/index")]);
      const config = loadConfig(process.env);
      const envFile = options.envPath ?? dotEnvPath;
      const running = await runGitHubAppSetup({
        gitBaseUrl: config.github.gitBaseUrl,
        apiUrl: config.github.apiUrl,
        publicUrl: config.publicUrl,
        ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
        ...(options.org ? { org: options.org } : {}),
        name: options.name,
        port: Number(options.port),
        dotEnvPath: envFile,
        keyPath: defaultKeyPath(dirname(envFile)),
      });
      process.stdout.write(`Open ${running.url}/ in a browser signed in to GitHub and press the button; GitHub asks you to confirm, then sends you back here.\nWaiting… (Ctrl-C to give up)\n`);
      const stop = () => void running.close().then(() => process.exit(130));
      process.once("SIGINT", stop);
      try {
        const app = await running.created;
        process.stdout.write(`GitHub App ${app.slug} (id ${app.id}) created; wrote ${app.written.join(", ")} to ${envFile}.\nNext: install it on your repositories at ${app.htmlUrl}/installations/new, then restart Fixline (make start).\n`);
        process.exitCode = 0;
      } catch (error) {
        process.stderr.write(`setup failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        process.off("SIGINT", stop);
        await running.close();
      }
    });
}
