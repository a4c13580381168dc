import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { loadConfig, silentLogger, type Config } from "@fixline/core";
import type { RunClaudeDeps } from "../src/index";
import { createFakeClaude, createTestDatabase, type FakeClaude, type FakeClaudeScenario, type TestDatabase } from "@fixline/testing";

const run = promisify(execFile);

/** True while the process exists and is not a zombie (containers may leave zombies unreaped for a while). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

export interface Harness {
  database: TestDatabase;
  redis: Redis;
  root: string;
  fake: FakeClaude;
  /** A git repository standing in for the task's worktree. */
  worktree: string;
  config: Config;
  deps(): RunClaudeDeps;
  newTask(): Promise<string>;
  streamEntries(taskId: string): Promise<Array<Record<string, string>>>;
  streamKeys: Set<string>;
  close(): Promise<void>;
}

export const secrets = {
  GITHUB_TOKEN: "ghp_push_token_must_not_leak",
  SLACK_BOT_TOKEN: "xoxb-must-not-leak",
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/must_not_leak",
};

/** `mcpTemplate` is written to the template path before the configuration is loaded (loadConfig reads it once). */
export async function createHarness(scenario: FakeClaudeScenario, env: Record<string, string> = {}, options: { mcpTemplate?: unknown } = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 2 });
  const root = await mkdtemp(join(tmpdir(), "fixline-claude-test-"));
  const fake = await createFakeClaude({ scenario, tmpRoot: root });
  const worktree = join(root, "repo");
  await mkdir(worktree);
  await run("git", ["init", "-q", worktree]);
  if (options.mcpTemplate !== undefined) await writeFile(join(root, "mcp.json"), JSON.stringify(options.mcpTemplate));
  const config = loadConfig({
    PATH: process.env.PATH,
    HOME: root,
    CLAUDE_BIN: fake.bin,
    // The fake keeps its run counter and call log in its own folder, which the sandbox shows read-only otherwise.
    SANDBOX_EXTRA_WRITABLE: fake.dir,
    TRANSCRIPT_DIR: join(root, "transcripts"),
    MCP_CONFIG_TEMPLATE: join(root, "mcp.json"),
    SKILLS_DIR: join(root, "skills"),
    ANTHROPIC_API_KEY: "sk-ant-test",
    ...secrets,
    ...env,
  });
  const streamKeys = new Set<string>();
  return {
    database,
    redis,
    root,
    fake,
    worktree,
    config,
    streamKeys,
    deps: () => ({ config, db: database.db, redis, logger: silentLogger() }),
    async newTask() {
      const row = await database.db
        .insertInto("tasks")
        .values({ source: "api", source_key: `api:${randomUUID()}`, repo: "acme/shop", title: "a bug", state: "planning" })
        .returning("id")
        .executeTakeFirstOrThrow();
      streamKeys.add(`task:${row.id}:output`);
      return row.id;
    },
    async streamEntries(taskId) {
      const entries = await redis.xrange(`task:${taskId}:output`, "-", "+");
      return entries.map(([, fields]) => {
        const record: Record<string, string> = {};
        for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
        return record;
      });
    },
    async close() {
      if (streamKeys.size > 0) await redis.del(...streamKeys);
      redis.disconnect();
      await database.destroy();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export async function writeSkill(root: string, name: string): Promise<void> {
  const dir = join(root, "skills", name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "SKILL.md"), `---\nname: ${name}\ndescription: test skill ${name}\n---\nDo the thing.\n`);
}

export async function readLines(path: string): Promise<string[]> {
  return (await readFile(path, "utf8")).split("\n").filter(Boolean);
}
