import { FixlineError } from "@fixline/core";

const markerPattern = /^[A-Za-z0-9][A-Za-z0-9:._/-]*$/;

/**
 * The hidden HTML comment that identifies a comment Fixline owns (`<!-- fixline:<marker> -->`), so a
 * re-run updates it instead of posting a duplicate. The marker is restricted to safe characters so it
 * can never close the comment early.
 */
export function commentMarker(marker: string): string {
  if (!markerPattern.test(marker)) {
    throw new FixlineError("INTERNAL", `Comment marker ${JSON.stringify(marker)} may contain only letters, digits and : . _ / -`);
  }
  return `<!-- fixline:${marker} -->`;
}

/** The body with the marker appended on its own line (once). */
export function withMarker(body: string, marker: string): string {
  const tag = commentMarker(marker);
  return body.includes(tag) ? body : `${body.trimEnd()}\n\n${tag}`;
}
