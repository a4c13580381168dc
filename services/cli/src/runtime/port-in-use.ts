import { FixlineError } from "@fixline/core";

/**
 * Turns the listen failure Node throws for a taken port (a raw EADDRINUSE stack before issue 17) into
 * PORT_IN_USE, naming the address and the fix. Anything else is returned unchanged.
 */
export function portInUse(error: unknown): unknown {
  const listenError = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (listenError?.code !== "EADDRINUSE") return error;
  const where = listenError.port !== undefined ? `${listenError.address ?? "0.0.0.0"}:${listenError.port}` : "the configured address";
  return new FixlineError("PORT_IN_USE", `cannot listen on ${where}: the port is already in use`, { cause: error });
}
