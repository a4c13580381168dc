/** Polls until the check returns a truthy value or the timeout passes; returns that value. */
export async function waitFor<T>(check: () => Promise<T> | T, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${options.what ?? "condition"}${last ? ` (last error: ${(last as Error).message})` : ""}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
