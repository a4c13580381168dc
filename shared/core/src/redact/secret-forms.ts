/**
 * The spellings one secret value can take in text: itself, base64 / base64url (at every alignment, so the
 * value is found inside a longer encoded blob such as `user:token`), hex, URL-encoded, URL-decoded and
 * JSON-escaped. Forms shorter than `minLength` are dropped: the caller's floor applies to every spelling.
 */
export function secretForms(value: string, minLength: number): string[] {
  const forms = new Set<string>([value]);
  const bytes = Buffer.from(value, "utf8");
  for (let shift = 0; shift < 3; shift++) {
    // Encode behind `shift` filler bytes and keep only the characters that depend on the value alone.
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const from = Math.ceil((8 * shift) / 6);
    const to = Math.floor((8 * (shift + bytes.length)) / 6);
    forms.add(padded.toString("base64").slice(from, to));
    forms.add(padded.toString("base64url").slice(from, to));
  }
  // The whole encoding too, so its last (partial) character and padding go with it.
  forms.add(bytes.toString("base64"));
  forms.add(bytes.toString("base64").replace(/=+$/, ""));
  forms.add(bytes.toString("base64url"));
  const hex = bytes.toString("hex");
  forms.add(hex);
  forms.add(hex.toUpperCase());
  forms.add(encodeURIComponent(value));
  try {
    forms.add(decodeURIComponent(value));
  } catch {
    // not URL-encoded: nothing to add
  }
  forms.add(JSON.stringify(value).slice(1, -1));
  return [...forms].filter((form) => form.length >= minLength);
}
