// The outbound redactor (issue 14) on 1 MB of output, side by side with the cheapest possible scan of the
// same text (one indexOf per configured value, no spellings, no token shapes): what one redaction pass costs
// on the biggest text Fixline publishes (a transcript line batch, a PR body with a long output excerpt).
import { createRedactor } from "@fixline/core";

const secrets = Array.from({ length: 40 }, (_, i) => `secret-value-number-${i}-${"k".repeat(20)}`);
const redactor = createRedactor(secrets);
const text = "not ok 3 - pads single-digit cents: expected '$1.5' to equal '$1.05' at test/price.test.js:12:7\n".repeat(11_000);
const rounds = 30;

function time(run: () => unknown): number {
  for (let i = 0; i < 3; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

const baseline = time(() => secrets.some((s) => text.includes(s)));
const redact = time(() => redactor.redact(text));
const contains = time(() => redactor.containsSecret(text));
const mb = (text.length / 1e6).toFixed(2);
process.stdout.write(
  [
    `| ${mb} MB of test output, 40 configured secrets (${secrets.length * 14}+ spellings) | median of ${rounds} |`,
    "|---|---|",
    `| baseline: one indexOf per raw value | ${baseline.toFixed(2)} ms |`,
    `| redact (every spelling + token shapes, one pass) | ${redact.toFixed(2)} ms |`,
    `| containsSecret (the push check, configured values only) | ${contains.toFixed(2)} ms |`,
    `| redact / baseline | ${(redact / baseline).toFixed(1)}x |`,
    "",
  ].join("\n"),
);
