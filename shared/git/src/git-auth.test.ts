import { describe, expect, it } from "vitest";
import { gitEnv } from "./git-env";
import { gitAuthFor } from "./git-auth";

const token = "ghs_abcdef123456";
const base64 = Buffer.from(`x-access-token:${token}`).toString("base64");

describe("gitAuthFor", () => {
  it("gives an https remote a URL-scoped Basic extraHeader through GIT_CONFIG_* only", () => {
    const auth = gitAuthFor("https://github.com/acme/widget.git", token);
    expect(auth.env).toEqual({
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.https://github.com/acme/widget.git.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${base64}`,
    });
    // The raw token is not even in the environment, only the header form GitHub expects.
    expect(Object.values(auth.env).join("\n")).not.toContain(token);
    expect(auth.secrets).toEqual([token, base64]);
  });

  it("sends nothing to local remotes or when there is no token", () => {
    expect(gitAuthFor("/srv/git/acme/widget.git", token).env).toEqual({});
    expect(gitAuthFor("file:///srv/git/acme/widget.git", token).env).toEqual({});
    expect(gitAuthFor("https://github.com/acme/widget.git", undefined).env).toEqual({});
  });
});

describe("gitEnv", () => {
  it("is built from PATH and fixed settings only, plus what the one command adds", () => {
    const env = gitEnv("/usr/bin", gitAuthFor("https://github.com/a/b.git", token).env);
    expect(env.PATH).toBe("/usr/bin");
    expect(env.GIT_TERMINAL_PROMPT).toBe("0");
    expect(env.GIT_CONFIG_GLOBAL).toBe("/dev/null");
    expect(env.GIT_CONFIG_VALUE_0).toBe(`Authorization: Basic ${base64}`);
    expect(Object.keys(gitEnv("/usr/bin")).filter((key) => key.startsWith("GIT_CONFIG_") && key !== "GIT_CONFIG_GLOBAL" && key !== "GIT_CONFIG_NOSYSTEM")).toEqual([]);
  });
});
