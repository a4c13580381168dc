import { describe, expect, it } from "vitest";
import { isFixlineError } from "@fixline/core";
import { commentMarker, withMarker } from "./comment-marker";

describe("comment markers", () => {
  it("append the hidden marker once", () => {
    expect(withMarker("Plan ready  \n", "task:abc/status")).toBe("Plan ready\n\n<!-- fixline:task:abc/status -->");
    expect(withMarker(withMarker("x", "m"), "m")).toBe("x\n\n<!-- fixline:m -->");
  });

  it("refuse markers that could close the HTML comment", () => {
    for (const bad of ["a -->", "", "a b", "-->x"]) {
      let error: unknown;
      try {
        commentMarker(bad);
      } catch (caught) {
        error = caught;
      }
      expect(isFixlineError(error)).toBe(true);
    }
  });
});
