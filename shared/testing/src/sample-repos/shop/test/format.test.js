import { test } from "node:test";
import assert from "node:assert/strict";
import { formatCents } from "../src/cart/format.js";

test("formats cents as dollars", () => {
  assert.equal(formatCents(1234), "$12.34");
  assert.equal(formatCents(5), "$0.05");
});
