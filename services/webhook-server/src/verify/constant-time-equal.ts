import { timingSafeEqual } from "node:crypto";

/**
 * Compares two strings in time that depends only on their lengths. timingSafeEqual throws on unequal
 * lengths, so a length mismatch still does one comparison (of `expected` with itself) before saying no.
 */
export function constantTimeEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received, "utf8");
  const b = Buffer.from(expected, "utf8");
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
