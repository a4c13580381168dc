import { describe, expect, it } from "vitest";
import { FixlineError, isFixlineError } from "@fixline/core";
import { classifyPushError } from "./classify-push-error";

const failed = (stderr: string) => new FixlineError("GIT_FAILED", "git push failed", { details: { stderr } });

describe("classifyPushError", () => {
  it.each([
    " ! [rejected]        fixline/x -> fixline/x (non-fast-forward)",
    " ! [rejected]        abc -> fixline/x (fetch first)",
    " ! [rejected]        abc -> fixline/x (stale info)",
    "remote: error: GH006: Protected branch update failed for refs/heads/main.",
    " ! [remote rejected] abc -> main (pre-receive hook declined)",
  ])("maps %j to PUSH_REJECTED", (stderr) => {
    expect(isFixlineError(classifyPushError(failed(stderr)), "PUSH_REJECTED")).toBe(true);
  });

  it("keeps other failures as they are", () => {
    const network = failed("fatal: unable to access 'https://github.com/a/b.git/': Could not resolve host: github.com");
    expect(classifyPushError(network)).toBe(network);
    const other = new Error("boom");
    expect(classifyPushError(other)).toBe(other);
  });
});
