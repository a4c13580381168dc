/** Quotes for sh -c: one argument, whatever it contains. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * Narrows a test command to some test names, best effort, for runners whose filter flag is known (pytest -k,
 * go test -run, vitest/jest -t, node --test-name-pattern, cargo's name filter). A command whose runner is not
 * recognised (npm test wrapping something unknown) is returned unchanged: running more tests is safe, a wrong
 * flag is not.
 */
export function narrowTestCommand(command: string, only: readonly string[] | undefined): { command: string; narrowed: boolean } {
  const names = (only ?? []).map((name) => name.trim()).filter((name) => name !== "");
  if (names.length === 0) return { command, narrowed: false };
  const alternatives = names.map(escapeRegex).join("|");
  if (/\bpytest\b/.test(command)) return { command: `${command} -k ${shellQuote(names.join(" or "))}`, narrowed: true };
  if (/\bgo test\b/.test(command)) return { command: `${command} -run ${shellQuote(`^(${alternatives})$`)}`, narrowed: true };
  if (/\b(vitest|jest)\b/.test(command)) return { command: `${command} -t ${shellQuote(alternatives)}`, narrowed: true };
  if (/\bnode\b.*--test\b/.test(command)) return { command: `${command} --test-name-pattern=${shellQuote(alternatives)}`, narrowed: true };
  if (/\bcargo test\b/.test(command) && names.length === 1) return { command: `${command} ${shellQuote(names[0]!)}`, narrowed: true };
  return { command, narrowed: false };
}
