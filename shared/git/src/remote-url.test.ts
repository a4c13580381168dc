import { describe, expect, it } from "vitest";
import { isFixlineError } from "@fixline/core";
import { parseRepoName, remoteUrl } from "./remote-url";

describe("remote URLs", () => {
  it("joins the base URL, owner and name", () => {
    expect(remoteUrl("https://github.com/", parseRepoName("acme/widget"))).toBe("https://github.com/acme/widget.git");
    expect(remoteUrl("/srv/git", parseRepoName("acme/widget.git"))).toBe("/srv/git/acme/widget.git");
    expect(remoteUrl("file:///srv/git", parseRepoName("a-b/c.d_e"))).toBe("file:///srv/git/a-b/c.d_e.git");
  });

  it.each(["acme", "acme/widget/extra", "../etc/passwd", "acme/..", "acme/.hidden", "acme/wid get", ""])("refuses %j", (repo) => {
    let error: unknown;
    try {
      parseRepoName(repo);
    } catch (caught) {
      error = caught;
    }
    expect(isFixlineError(error, "REPO_NOT_FOUND")).toBe(true);
  });
});
