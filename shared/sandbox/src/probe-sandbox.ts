import { spawnSync } from "node:child_process";
import { FixlineError } from "@fixline/core";
import { findExecutable } from "./find-executable";

const systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
let available: string | undefined;

/**
 * The bwrap binary, after proving once per process that it can create the namespaces we use. Throws
 * SANDBOX_UNAVAILABLE with the fix otherwise (fail closed: nothing hostile runs unsandboxed by accident).
 * Only success is remembered, so installing bubblewrap fixes a running worker.
 */
export function ensureSandboxAvailable(searchPath = systemPath): string {
  if (available && searchPath === systemPath) return available;
  const bwrap = findExecutable("bwrap", searchPath);
  if (!bwrap) {
    throw new FixlineError(
      "SANDBOX_UNAVAILABLE",
      "bubblewrap (bwrap) is not installed, so the agent and the repository's commands cannot be sandboxed: install it (apt-get install bubblewrap), or set FIXLINE_SANDBOX=off to run them unsandboxed (unsafe)",
    );
  }
  const probe = spawnSync(
    bwrap,
    ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", "/bin/true"],
    { env: { PATH: systemPath }, encoding: "utf8", timeout: 10_000 },
  );
  if (probe.status !== 0) {
    const reason = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim();
    throw new FixlineError(
      "SANDBOX_UNAVAILABLE",
      `bubblewrap cannot create a sandbox here (${reason}). Allow user namespaces (sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces>0; in Kubernetes see README "Sandbox" for the securityContext), or set FIXLINE_SANDBOX=off to run unsandboxed (unsafe)`,
    );
  }
  if (searchPath === systemPath) available = bwrap;
  return bwrap;
}
