import { describe, expect, it } from "vitest";
import { scrubSecrets } from "./scrub-secrets";

describe("scrubSecrets", () => {
  it("removes the given secrets, authorization header values and URL credentials", () => {
    const text = [
      "fatal: unable to access 'https://x-access-token:ghs_secret@github.com/a/b.git/': 403",
      "git -c http.extraHeader=Authorization: Basic eC1hY2Nlc3M= push",
      "token ghs_secret again",
    ].join("\n");
    const out = scrubSecrets(text, ["ghs_secret"]);
    expect(out).not.toContain("ghs_secret");
    expect(out).not.toContain("eC1hY2Nlc3M=");
    expect(out).toContain("https://[redacted]@github.com/a/b.git/");
    expect(out).toContain("Authorization: Basic [redacted]");
  });

  it("leaves ordinary text alone", () => {
    expect(scrubSecrets("git push https://github.com/a/b.git main", [""])).toBe("git push https://github.com/a/b.git main");
  });
});
