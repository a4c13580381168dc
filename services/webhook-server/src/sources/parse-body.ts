import { FixlineError } from "@fixline/core";
import type { z } from "zod";

// Strict: Buffer#toString would turn invalid bytes into U+FFFD and let a mis-encoded body through as a
// task (found by the chaos fuzzer). JSON must be UTF-8 (RFC 8259 §8.1); Slack forms are ASCII-escaped.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function decodeUtf8(rawBody: Buffer, what: string): string {
  try {
    return strictUtf8.decode(rawBody);
  } catch {
    throw new FixlineError("PAYLOAD_MALFORMED", `${what}: the body is not valid UTF-8`);
  }
}

/** Parses a verified JSON body against the few fields we rely on; anything else is PAYLOAD_MALFORMED (400). */
export function parseJsonBody<S extends z.ZodType>(rawBody: Buffer, schema: S, what: string): z.infer<S> {
  const text = decodeUtf8(rawBody, what);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FixlineError("PAYLOAD_MALFORMED", `${what}: the body is not valid JSON`);
  }
  return parseValue(value, schema, what);
}

/** Parses a verified form body (Slack) into its fields. */
export function parseFormBody(rawBody: Buffer, what: string): URLSearchParams {
  const text = decodeUtf8(rawBody, what);
  // URLSearchParams accepts almost anything; a form must at least look like key=value pairs.
  if (text.length === 0 || !/^[^=&]+=[^&]*(&[^=&]+=[^&]*)*$/.test(text)) {
    throw new FixlineError("PAYLOAD_MALFORMED", `${what}: the body is not a URL-encoded form`);
  }
  return new URLSearchParams(text);
}

export function parseValue<S extends z.ZodType>(value: unknown, schema: S, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new FixlineError("PAYLOAD_MALFORMED", `${what}: ${first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "unexpected shape"}`);
  }
  return parsed.data;
}
