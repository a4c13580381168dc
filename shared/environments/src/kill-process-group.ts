function alive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Stops a command and everything it started (npm's child node, a test runner's workers, a database a hook
 * started in the foreground): commands run detached, so each leads its own process group. SIGTERM first so
 * they can clean up, SIGKILL after the grace period.
 */
export async function killProcessGroup(pgid: number, graceMs: number): Promise<void> {
  if (!alive(pgid)) return;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 50));
    if (!alive(pgid)) return;
  }
  signalGroup(pgid, "SIGKILL");
}
