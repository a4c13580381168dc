import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SandboxConfig } from "@fixline/core";
import { prepareSandboxedCommand } from "./prepare-sandbox";
import type { LimitMechanism } from "./resource-limits";

export interface IsolationReport {
  ok: boolean;
  mechanism: LimitMechanism | "off";
  detail: string;
}

/**
 * Starts a real sandbox (as a test run would get) and looks from inside for the worker: its /proc entry, every
 * process's environment, its HOME. The secret values are compared outside; they never enter the sandbox.
 */
export async function checkSandboxIsolation(settings: SandboxConfig, secrets: readonly string[], home: string | undefined): Promise<IsolationReport> {
  if (settings.mode === "off") return { ok: false, mechanism: "off", detail: "FIXLINE_SANDBOX=off: the agent and repository commands run unsandboxed, with the worker's view of the host" };
  const worktree = await mkdtemp(join(tmpdir(), "fixline-doctor-sandbox-"));
  const env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: home ?? "/tmp" };
  const probe = [
    `test -e /proc/${process.pid} && echo WORKER_PROC_VISIBLE`,
    "cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n'",
    `ls -a "$HOME" 2>/dev/null | grep -v '^\\.\\.\\?$' | sed 's/^/HOME_ENTRY /'`,
    "echo PROBE_DONE",
  ].join("; ");
  try {
    const prepared = await prepareSandboxedCommand("/bin/sh", ["-c", probe], { phase: "test", worktree, env, settings });
    const output = await new Promise<string>((done) => {
      const child = spawn(prepared.file, prepared.args, { cwd: worktree, env, stdio: ["ignore", "pipe", "pipe"] });
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      child.on("close", () => done(text));
      child.on("error", (error) => done(`spawn failed: ${error.message}`));
    }).finally(() => prepared.dispose());
    const problems: string[] = [];
    if (!output.includes("PROBE_DONE")) problems.push(`the probe did not run: ${output.trim().slice(0, 200)}`);
    if (output.includes("WORKER_PROC_VISIBLE")) problems.push("the worker's /proc entry is visible");
    const leaked = secrets.filter((secret) => secret.length >= 6 && output.includes(secret)).length;
    if (leaked > 0) problems.push(`${leaked} of the worker's secret values are readable inside`);
    if (/^HOME_ENTRY /m.test(output)) problems.push("the worker's HOME is visible");
    if (problems.length > 0) return { ok: false, mechanism: prepared.mechanism, detail: problems.join("; ") };
    return { ok: true, mechanism: prepared.mechanism, detail: `bubblewrap isolates (worker /proc, environment and HOME invisible inside); limits by ${prepared.mechanism}` };
  } catch (error) {
    return { ok: false, mechanism: "rlimit", detail: (error as Error).message };
  } finally {
    await rm(worktree, { recursive: true, force: true });
  }
}
