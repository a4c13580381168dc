// A worker process for the drain test: takes planning jobs, each "working" for JOB_MS, and drains on
// SIGTERM through onShutdownSignal like every Fixline role does.
import { silentLogger } from "@fixline/core";
import { createRedis, createWorker, onShutdownSignal } from "@fixline/queue";

const connection = createRedis(process.env.REDIS_URL!, "worker");
const jobMs = Number(process.env.JOB_MS ?? "1000");
const fixlineWorker = createWorker(
  "planning",
  async ({ data, signal }) => {
    process.stdout.write(`started ${data.taskId}\n`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, jobMs);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new Error("aborted"));
      });
    });
    process.stdout.write(`finished ${data.taskId}\n`);
    return "ok";
  },
  { connection, prefix: process.env.PREFIX!, logger: silentLogger(), concurrency: 1 },
);
onShutdownSignal(async () => {
  await fixlineWorker.drain(Number(process.env.GRACE_MS ?? "5000"));
  process.stdout.write("drained\n");
  connection.disconnect();
}, silentLogger());
process.stdout.write("ready\n");
