import { test } from "node:test";
import assert from "node:assert/strict";
import { formatPrice, parsePrice } from "../src/price.js";

test("formats dollars and cents", () => {
  assert.equal(formatPrice(1234), "$12.34");
});

test("formats negative amounts", () => {
  assert.equal(formatPrice(-250), "-$2.50");
});

test("parses a price", () => {
  assert.equal(parsePrice("$12.34"), 1234);
});
