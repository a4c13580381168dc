/** The phases that run hostile code; each gets the network and the files its job needs, nothing more. */
export const sandboxPhases = ["setup", "hook", "test", "claude"] as const;
export type SandboxPhase = (typeof sandboxPhases)[number];

/** A system path as it appears inside: bound read-only, or re-created as the same symlink (merged /usr: /bin -> usr/bin). */
export type SystemPath = { kind: "bind"; path: string } | { kind: "symlink"; path: string; target: string };

/**
 * Everything the sandbox shows, resolved to absolute paths. Nothing else of the host exists inside: the
 * filesystem is an allow-list, not the host's root with holes punched in it.
 */
export interface SandboxSpec {
  /** Bound read-write at the same path, and the working directory. */
  worktree: string;
  /** /usr, /bin, /lib*, the parts of /etc programs need. */
  system: SystemPath[];
  /** Toolchain (Node's prefix, PATH folders, the Claude CLI) and the repository's git dir. */
  readOnly: string[];
  /** What the phase may change besides the worktree (the download cache for setup, the CLI's config dir for Claude). */
  readWrite: string[];
  /** `source` shown read-only at `target` (Fixline's own `.claude/` over the repository's). */
  overlays: Array<{ source: string; target: string }>;
  /** A scratch tmpfs at this path (the child's HOME), so the worker's HOME is never visible. */
  home: string | undefined;
  /** Share the host's network (setup, Claude); false = a private network namespace with only a down loopback. */
  network: boolean;
  /**
   * Paths that must stay invisible (the worker's HOME, the data directory, the mirrors root). A bind whose
   * source is one of them or contains one is refused; binds *inside* them (one worktree, Node under ~/.cache) are fine.
   */
  hidden: string[];
}

/** What the limits are and how they are enforced. */
export interface SandboxLimits {
  memoryMb: number;
  maxProcesses: number;
}

/** FIXLINE_SANDBOX's defaults, for callers without a Config (benchmarks, tools): on, never off by omission. */
export const defaultSandboxConfig = { mode: "on", memoryMb: 4096, maxProcesses: 1024, extraWritable: [] } as const satisfies {
  mode: "on" | "off";
  memoryMb: number;
  maxProcesses: number;
  extraWritable: readonly string[];
};
