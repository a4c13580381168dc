/**
 * Removes credentials from text that is about to be logged or put in an error: the raw secrets, their
 * base64 forms inside Basic authorization headers, and any `user:password@` in a URL. Git echoes its
 * command line and URLs in stderr, so every message that leaves the runner goes through here.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    out = out.split(secret).join("[redacted]");
  }
  return out
    .replace(/(authorization:\s*(?:basic|bearer|token)\s+)[^\s"']+/gi, "$1[redacted]")
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+(:[^/@\s]*)?@/gi, "$1[redacted]@");
}
