/**
 * A failure talking to the Fixline API, with the exit code the CLI should use: 2 when we cannot talk to
 * the server at all (unreachable, token refused, API disabled), 1 when the server refused the request.
 */
export class FixlineApiError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "FixlineApiError";
  }
}

/** Turns fetch's network errors into the sentence an operator needs. */
export function unreachableError(baseUrl: string, error: unknown): FixlineApiError {
  type Cause = { code?: string; message?: string; errors?: Cause[] };
  const outer = (error as { cause?: Cause }).cause;
  // Happy-eyeballs connects to several addresses: the reason is on the first of them.
  const cause = outer?.code ? outer : (outer?.errors?.[0] ?? outer);
  const why =
    cause?.code === "ECONNREFUSED"
      ? "connection refused"
      : cause?.code === "ENOTFOUND"
        ? "host not found"
        : cause?.code === "ETIMEDOUT" || cause?.code === "UND_ERR_CONNECT_TIMEOUT"
          ? "timed out"
          : (cause?.code ?? cause?.message ?? (error as Error).message);
  return new FixlineApiError(`Cannot reach Fixline at ${baseUrl} (${why}). Is it running? Start it with \`make start\`.`, 2);
}
