import { mkdir, mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createRepoLock } from "./repo-lock";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function lockPath(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), "fixline-git-lock-"));
  return join(dir, "locks", "acme", "widget.lock");
}

describe("createRepoLock", () => {
  it("never lets two holders in at once, within a process or across two (separate lock instances)", async () => {
    const path = await lockPath();
    const processA = createRepoLock({ pollMs: 5 });
    const processB = createRepoLock({ pollMs: 5 });
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    const work = (id: number) => async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await sleep(15);
      order.push(id);
      inside--;
      return id;
    };
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((id) => (id % 2 ? processA : processB)(path, work(id))));
    expect(results).toEqual([1, 2, 3, 4, 5, 6]);
    expect(maxInside).toBe(1);
    expect(order).toHaveLength(6);
  });

  it("releases the lock when the work throws", async () => {
    const path = await lockPath();
    const withLock = createRepoLock({ pollMs: 5, timeoutMs: 2_000 });
    await expect(withLock(path, async () => Promise.reject(new Error("fetch failed")))).rejects.toThrow("fetch failed");
    await expect(withLock(path, async () => "next")).resolves.toBe("next");
  });

  it("takes over a lock left by a crashed holder once it is stale, and times out on a live one", async () => {
    const path = await lockPath();
    await mkdir(path, { recursive: true });
    const withLock = createRepoLock({ pollMs: 5, staleMs: 60_000, timeoutMs: 100 });
    await expect(withLock(path, async () => "never")).rejects.toThrow(/timed out/);
    const old = new Date(Date.now() - 120_000);
    await utimes(path, old, old);
    await expect(withLock(path, async () => "taken over")).resolves.toBe("taken over");
  });
});
