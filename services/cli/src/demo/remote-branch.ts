import { execa } from "execa";

/** Reads a task branch straight from the bare remote the workers pushed to (what a reviewer would fetch). */
export interface RemoteBranch {
  /** Commit subjects from the base to the branch head, oldest first. */
  commits(): Promise<string[]>;
  file(path: string, ref?: string): Promise<string>;
  /** `git diff base...branch`, optionally without some paths. */
  diff(options?: { exclude?: string[] }): Promise<string>;
}

export function remoteBranch(options: { gitDir: string; branch: string; base?: string; pathEnv: string }): RemoteBranch {
  const base = options.base ?? "main";
  const git = async (args: string[]) =>
    (await execa("git", ["--git-dir", options.gitDir, ...args], { env: { PATH: options.pathEnv, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" }, extendEnv: false })).stdout;
  return {
    async commits() {
      const out = await git(["log", "--reverse", "--format=%s", `${base}..${options.branch}`]);
      return out.split("\n").filter(Boolean);
    },
    file: (path, ref = options.branch) => git(["show", `${ref}:${path}`]),
    diff: ({ exclude = [] } = {}) => git(["diff", "--no-color", `${base}...${options.branch}`, "--", ".", ...exclude.map((p) => `:(exclude)${p}`)]),
  };
}
