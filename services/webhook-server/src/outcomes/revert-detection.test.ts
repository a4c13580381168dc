import { describe, expect, it } from "vitest";
import { revertedPullNumber, revertedShas, revertsFix } from "./revert-detection";

const merge = "d".repeat(40);
const green = "e".repeat(40);

describe("revert detection (issue 21)", () => {
  it("reads every `This reverts commit <sha>` line, full or abbreviated (7+), and nothing shorter", () => {
    expect(revertedShas(`Revert "Fix"\n\nThis reverts commit ${merge}.`)).toEqual([merge]);
    expect(revertedShas("This reverts commit abcdef1.\nThis reverts commit 1234567890ab.")).toEqual(["abcdef1", "1234567890ab"]);
    expect(revertedShas("This reverts commit abc.")).toEqual([]);
    expect(revertedShas("Fixes the revert of commit deadbeefcafe")).toEqual([]);
  });

  it("matches the merge commit or the green commit by prefix, never a sha that only shares a middle", () => {
    expect(revertsFix(merge.slice(0, 7), { mergeCommitSha: merge })).toBe(true);
    expect(revertsFix(green, { mergeCommitSha: null, greenCommit: green })).toBe(true);
    expect(revertsFix("0" + merge.slice(0, 10), { mergeCommitSha: merge })).toBe(false);
    expect(revertsFix(merge.slice(0, 7), { mergeCommitSha: null })).toBe(false);
  });

  it("takes a revert PR only in GitHub's form: title `Revert \"…\"` and `Reverts <this repo>#n` in the body", () => {
    expect(revertedPullNumber("acme/shop", { title: 'Revert "Fix price"', body: "Reverts acme/shop#12" })).toBe(12);
    expect(revertedPullNumber("acme/shop", { title: 'Revert "Fix price"', body: "Reverts #12" })).toBe(12);
    // Another repository's PR with the same number is not ours; nor is a title alone, nor a body alone.
    expect(revertedPullNumber("acme/shop", { title: 'Revert "Fix price"', body: "Reverts evil/shop#12" })).toBeUndefined();
    expect(revertedPullNumber("acme/shop", { title: 'Revert "Fix price"', body: "" })).toBeUndefined();
    expect(revertedPullNumber("acme/shop", { title: "Fix price again", body: "Reverts acme/shop#12" })).toBeUndefined();
    // The repository name is matched literally: dots are not wildcards.
    expect(revertedPullNumber("acme/a.b", { title: 'Revert "x"', body: "Reverts acme/aXb#3" })).toBeUndefined();
  });
});
