/**
 * Shapes of credentials that are secret wherever they appear, configured or not: a token the agent found on
 * disk, in a repository's history or in another process's environment (issue 14). Kept tight (prefix plus a
 * minimum length of the provider's alphabet) so ordinary words and identifiers are never hit.
 */
export const tokenShapes: readonly RegExp[] = [
  // GitHub: personal (ghp_), OAuth (gho_), user-to-server (ghu_), server-to-server (ghs_), refresh (ghr_), fine-grained PATs.
  /\bgh[pousr]_[A-Za-z0-9]{20,255}\b/,
  /\bgithub_pat_[A-Za-z0-9_]{20,255}\b/,
  // Slack bot, user, app, config and refresh tokens.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  // Anthropic API keys and OAuth tokens.
  /\bsk-ant-[A-Za-z0-9_-]{10,}/,
  // AWS access key ids.
  /\bAKIA[0-9A-Z]{16}\b/,
  // PEM private keys (RSA, EC, OPENSSH, PKCS#8, encrypted): the whole block, or to the end of a truncated text.
  /-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY-----|$)/,
];
