import type { Command } from "commander";
import { createFixlineClient } from "../api-client/fixline-client";
import { credentialsPath, forgetToken, storeToken } from "../api-client/stored-credentials";
import { FixlineApiError } from "../api-client/fixline-api-error";
import type { TaskAction, TaskActionBody } from "@fixline/core";
import type { FixlineClient } from "../api-client/fixline-client";
import { followTaskLogs } from "../api-client/follow-task-logs";
import { formatWorkspaceTable } from "../api-client/format-workspaces";
import { colorState, terminalStyle } from "../api-client/terminal-style";

const isTTY = Boolean(process.stdout.isTTY);
// NO_COLOR is the cross-tool convention for plain output (https://no-color.org).
const style = terminalStyle(isTTY && !process.env.NO_COLOR);
const print = (text: string) => process.stdout.write(`${text}\n`);

/** Runs a command body with one place that turns failures into a message and an exit code. */
function withClient(body: (client: FixlineClient) => Promise<void>): () => Promise<void> {
  return async () => {
    // Loaded when a command runs: @fixline/core (config, zod, pino) is most of what `fixline --help` would load.
    const [{ isFixlineError }, { createClientFromEnv }] = await Promise.all([import("@fixline/core"), import("../api-client/create-client-from-env")]);
    try {
      await body(createClientFromEnv());
    } catch (error) {
      if (error instanceof FixlineApiError) {
        process.stderr.write(`${style.red("error:")} ${error.message}\n`);
        process.exitCode = error.exitCode;
        return;
      }
      if (isFixlineError(error, "CONFIG_INVALID")) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      throw error;
    }
  };
}

type ActionOptions = Record<string, string | undefined>;
/** What a command sends for `action`, built from its arguments and options (the body's type is the API contract's). */
type ActionBody<A extends TaskAction> = (client: FixlineClient, id: string, args: string[], opts: ActionOptions) => Promise<TaskActionBody<A>>;

/**
 * A decision names the plan it is about (issue 16): the one passed with --plan, or the one shown right now;
 * if the plan changes before the server gets it, the server refuses.
 */
async function planShaToDecide(client: FixlineClient, id: string, opts: ActionOptions, action: "approve" | "reject"): Promise<string> {
  const planSha = opts.plan ?? (await client.getTask(id)).plan?.sha ?? undefined;
  if (!planSha) throw new FixlineApiError(`Task ${id} has no plan to ${action} yet.`, 1);
  print(style.dim(`${action === "approve" ? "Approving" : "Rejecting"} plan ${planSha.slice(0, 12)} (fixline show ${id} prints it).`));
  return planSha;
}

function actionCommand<A extends TaskAction>(program: Command, action: A, describe: string, options: (cmd: Command) => Command, body: ActionBody<A>) {
  const cmd = options(program.command(action).description(describe).argument("<id>", "task id (the 8-character short id is enough)"));
  if (action === "approve" || action === "reject") cmd.option("--plan <sha>", "the plan SHA you reviewed (default: the one shown now, printed before it is sent)");
  cmd.action(async (id: string, ...rest: unknown[]) => {
    const opts = (rest.length >= 2 ? rest[rest.length - 2] : {}) as ActionOptions;
    const args = rest.slice(0, -2).filter((a): a is string => typeof a === "string");
    await withClient(async (client) => {
      const { task } = await client.act(id, action, await body(client, id, args, opts));
      print(`${task.shortId} is now ${colorState(style, task.state)}.`);
    })();
  });
}

/** Reads one line from stdin (a pasted token), without echoing it to the scrollback when it is a terminal. */
async function readTokenFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString("utf8").split("\n")[0]!.trim();
}

function registerLoginCommands(program: Command): void {
  program
    .command("login")
    .description("Store a personal API token for this server (create one on the dashboard's Tokens page after signing in with GitHub)")
    .option("--token <token>", "the token (default: read one line from stdin)")
    .action(async (opts: { token?: string }) => {
      const { loadConfig } = await import("@fixline/core");
      const config = loadConfig();
      if (!opts.token) {
        process.stderr.write(`Open ${config.fixlineUrl.replace(/\/+$/, "")}/#/tokens, sign in with GitHub, create a token and paste it here:\n`);
      }
      const token = opts.token ?? (await readTokenFromStdin());
      await withClient(async () => {
        if (!token.startsWith("fxl_")) throw new FixlineApiError("That is not a personal API token (they start with fxl_); the operator's FIXLINE_API_TOKEN is not stored by fixline login.", 1);
        const who = await createFixlineClient({ baseUrl: config.fixlineUrl, token, credential: "that token" }).whoami();
        if (who.kind !== "github" || !who.login) throw new FixlineApiError("The server does not know that token as a GitHub user's.", 1);
        storeToken(config.fixlineUrl, { token, login: who.login });
        print(`Signed in to ${config.fixlineUrl} as ${style.bold(`@${who.login}`)}; the token is stored in ${credentialsPath()}.`);
      })();
    });
  program
    .command("logout")
    .description("Forget the stored token for this server (revoke it on the dashboard's Tokens page)")
    .action(async () => {
      const { loadConfig } = await import("@fixline/core");
      const config = loadConfig();
      print(forgetToken(config.fixlineUrl) ? `Forgot the token for ${config.fixlineUrl}. Revoke it on the dashboard's Tokens page too.` : `No token stored for ${config.fixlineUrl}.`);
    });
  program
    .command("whoami")
    .description("Who your credential acts as")
    .action(async () => {
      await withClient(async (client) => {
        const who = await client.whoami();
        print(who.kind === "github" ? `@${who.login}` : "operator (FIXLINE_API_TOKEN: can cancel and retry; approvals need a GitHub identity)");
      })();
    });
}

/** Commands that talk to a running Fixline over its REST API (run, tasks, show, logs, approve...). */
export function registerApiCommands(program: Command): void {
  registerLoginCommands(program);
  program
    .command("run")
    .description("Create a task from a bug description (like Slack's /agent run)")
    .argument("<description>", "what is wrong, in words")
    .requiredOption("--repo <owner/repo>", "the repository to fix")
    .option("--title <title>", "a short title (default: the first line of the description)")
    .option("-f, --follow", "follow the task's live output")
    .action(async (description: string, opts: { repo: string; title?: string; follow?: boolean }) => {
      await withClient(async (client) => {
        const { task, created } = await client.createTask({ description, repo: opts.repo, ...(opts.title ? { title: opts.title } : {}) });
        print(`${created ? "Created" : "Found"} task ${style.bold(task.shortId)} (${colorState(style, task.state)}) for ${task.repo}: ${task.title}`);
        if (opts.follow) await followTaskLogs(client, task.id, { write: (t) => process.stdout.write(t), isTTY, style }, { follow: true });
        else print(style.dim(`Follow it with: fixline logs ${task.shortId} --follow`));
      })();
    });

  program
    .command("tasks")
    .description("List tasks, newest first")
    .option("--state <state>", "only tasks in this state")
    .option("--source <source>", "only tasks from this source (sentry, jira, github, slack, api)")
    .option("--repo <owner/repo>", "only tasks of this repository")
    .option("--limit <n>", "how many", "30")
    .option("--json", "print JSON")
    .action(async (opts: { state?: string; source?: string; repo?: string; limit: string; json?: boolean }) => {
      await withClient(async (client) => {
        // The server's own filter schema: a wrong --state is named here, before any request.
        const { listTasksQuery } = await import("@fixline/core");
        const filters = listTasksQuery.safeParse({ state: opts.state, source: opts.source, repo: opts.repo, limit: opts.limit });
        if (!filters.success) throw new FixlineApiError(filters.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; "), 1);
        const { tasks } = await client.listTasks(filters.data);
        // Loaded when used, like @fixline/core: `fixline --help` loads neither (issue 19, CLI start).
        const { formatTaskTable } = await import("../api-client/format-tasks");
        print(opts.json ? JSON.stringify(tasks, null, 2) : formatTaskTable(tasks, style));
      })();
    });

  program
    .command("show")
    .description("Show a task: state, timeline, runs (cost, tokens), evidence and plan")
    .argument("<id>", "task id (the 8-character short id is enough)")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { json?: boolean }) => {
      await withClient(async (client) => {
        const detail = await client.getTask(id);
        const { formatTaskDetail } = await import("../api-client/format-tasks");
        print(opts.json ? JSON.stringify(detail, null, 2) : formatTaskDetail(detail, style));
      })();
    });

  program
    .command("logs")
    .description("Print a task's Claude output; --follow keeps printing live until the task ends or waits for approval")
    .argument("<id>", "task id (the 8-character short id is enough)")
    .option("-f, --follow", "keep printing as output arrives")
    .action(async (id: string, opts: { follow?: boolean }) => {
      await withClient(async (client) => {
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once("SIGINT", stop);
        try {
          await followTaskLogs(client, id, { write: (t) => process.stdout.write(t), isTTY, style }, { follow: Boolean(opts.follow), signal: abort.signal });
        } finally {
          process.off("SIGINT", stop);
        }
      })();
    });

  const workspaces = program
    .command("workspaces")
    .description("List the task worktrees on the server's disk (size, age, task state; orphans have no task)")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      await withClient(async (client) => {
        const list = await client.listWorkspaces();
        print(opts.json ? JSON.stringify(list, null, 2) : formatWorkspaceTable(list, style));
      })();
    });
  workspaces
    .command("rm")
    .description("Remove a task's worktree (refused while the task is planning or executing)")
    .argument("<task>", "task id (the 8-character short id is enough)")
    .action(async (taskId: string) => {
      await withClient(async (client) => {
        await client.removeWorkspace(taskId);
        print(`Removed the workspace of ${taskId}.`);
      })();
    });

  actionCommand(
    program,
    "approve",
    "Approve the plan awaiting approval, or add budget to a task waiting for it (as the GitHub login of your token; fixline login)",
    (c) => c.option("-m, --instructions <text>", "extra instructions for the executor").option("--budget <amount>", "execution budget: $8 instead of the plan's estimate, or +$5 to add to a task in waiting_budget"),
    async (client, id, _a, o) => ({ planSha: await planShaToDecide(client, id, o, "approve"), instructions: o.instructions, ...(o.budget ? { budget: o.budget } : {}) }),
  );
  actionCommand(
    program,
    "reject",
    "Reject the plan: with feedback it is re-planned, without it the task closes",
    (c) => c.argument("[feedback]", "what the next plan should do differently"),
    async (client, id, a, o) => ({ planSha: await planShaToDecide(client, id, o, "reject"), feedback: a[0] }),
  );
  actionCommand(program, "retry", "Retry a failed task from its last proven phase", (c) => c, async () => ({}));
  actionCommand(program, "cancel", "Cancel a task (running agents are stopped)", (c) => c.option("--reason <text>", "why"), async (_c, _id, _a, o) => ({ reason: o.reason }));
}
