import { test } from "node:test";
import assert from "node:assert/strict";
import { computeTotal } from "../src/cart/total.js";

test("sums price times quantity", () => {
  const items = [
    { product: { price: 250 }, quantity: 2 },
    { product: { price: 100 }, quantity: 1 },
  ];
  assert.equal(computeTotal(items), 600);
});

test("an empty cart costs nothing", () => {
  assert.equal(computeTotal([]), 0);
});
