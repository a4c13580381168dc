import { afterAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { waitFor } from "@fixline/testing";
import { watchdogScript } from "@fixline/processes";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const leftovers: number[] = [];
afterAll(() => {
  for (const pid of leftovers) if (alive(pid)) process.kill(pid, "SIGKILL");
});

describe("orphan watchdog", () => {
  it("takes Claude's whole process group down when the worker is killed with SIGKILL", async () => {
    // A stand-in worker: spawns a long "Claude" (with a grandchild) under the watchdog, prints the pids.
    const worker = execa(
      process.execPath,
      [
        "-e",
        `const { spawn } = require("node:child_process");
         const child = spawn("/bin/sh", ["-c", process.argv[1], "fixline-watchdog", String(process.pid), "/bin/sh", "-c", "sleep 300 & echo $!; cat; wait"], { detached: true, stdio: ["pipe", "pipe", "inherit"] });
         child.stdin.write("the prompt\\n");
         child.stdout.on("data", (d) => process.stdout.write(child.pid + " " + d));
         setInterval(() => {}, 1000);`,
        watchdogScript,
      ],
      { reject: false },
    );
    let out = "";
    worker.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await waitFor(() => /^\d+ \d+\n/.test(out) && out.includes("the prompt"), { what: "claude started and got its prompt on stdin", timeoutMs: 10_000 });
    const [leader, grandchild] = out.split("\n")[0]!.split(" ").map(Number) as [number, number];
    leftovers.push(grandchild);
    expect(alive(leader)).toBe(true);
    expect(alive(grandchild)).toBe(true);

    worker.kill("SIGKILL");
    await worker;
    await waitFor(() => !alive(grandchild) && !alive(leader), { what: "the orphaned group to be killed", timeoutMs: 10_000, intervalMs: 100 });
  });
});
