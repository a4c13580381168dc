import { silentLogger } from "@fixline/core";
import { getTask, listTaskEvents, type TaskRecord } from "@fixline/db";
import { waitFor } from "@fixline/testing";
import { startDemoEnvironment, type DemoEnvironment, type StartDemoEnvironmentOptions, type WebhookTarget } from "../../services/cli/src/demo/index";
import { startFixline, type RunningFixline } from "../../services/cli/src/runtime/start-fixline";
import { deleteRedisKeys } from "./delete-redis-keys";

export interface InProcessFixline {
  env: DemoEnvironment;
  fixline: RunningFixline;
  target: WebhookTarget;
  waitForState(taskId: string, state: string, timeoutMs?: number): Promise<TaskRecord>;
  /** State changes of the task, in order (`received`, `planning`, ...). */
  states(taskId: string): Promise<string[]>;
  close(): Promise<void>;
}

/** What every e2e test starts with: the test Postgres and Redis, the shell's PATH, no HOME, never a real model. */
const testDefaults = {
  databaseUrl: process.env.DATABASE_URL,
  redisUrl: process.env.REDIS_URL,
  pathEnv: process.env.PATH ?? "/usr/bin:/bin",
  homeDir: "/nonexistent",
  forceReplay: true,
} satisfies StartDemoEnvironmentOptions;

/**
 * The demo's environment (fakes, shop remote, fresh database, replay agent) with every role started here;
 * options override the test defaults (usually only the replay agent's `scenario`).
 */
export async function startInProcessFixline(options: Partial<StartDemoEnvironmentOptions> = {}): Promise<InProcessFixline> {
  const env = await startDemoEnvironment({ ...testDefaults, ...options });
  let fixline: RunningFixline;
  try {
    fixline = await startFixline({ config: env.config, logger: silentLogger(), role: "all", pathEnv: env.env.PATH!, homeDir: env.root, prefix: env.prefix });
  } catch (error) {
    await env.close();
    throw error;
  }
  return {
    env,
    fixline,
    target: { url: fixline.webhook!.url, secrets: env.secrets },
    async waitForState(taskId, state, timeoutMs = 40_000) {
      return waitFor(
        async () => {
          const task = await getTask(fixline.db, taskId);
          if (task && task.state !== state && ["failed", "cancelled", "completed"].includes(task.state)) {
            throw new Error(`task ${taskId} ended ${task.state} (${task.errorCode ?? ""} ${task.errorMessage ?? ""}) while waiting for ${state}`);
          }
          return task?.state === state ? task : undefined;
        },
        { timeoutMs, intervalMs: 100, what: `task ${taskId} to be ${state}` },
      );
    },
    async states(taskId) {
      return (await listTaskEvents(fixline.db, taskId)).filter((e) => e.toState !== null && e.toState !== e.fromState).map((e) => e.toState!);
    },
    async close() {
      const tasks = await fixline.db.selectFrom("tasks").select("id").execute().catch(() => []);
      await fixline.stop(3_000).catch(() => {});
      await deleteRedisKeys(env.config.redisUrl, env.prefix, tasks.map((t) => `task:${t.id}:output`)).catch(() => {});
      await env.close();
    },
  };
}
