/** `createdAt` is the database's microsecond timestamp text (see taskCreatedAtText in @fixline/db). */
export function encodeCursor(task: { createdAt: string; id: string }): string {
  return Buffer.from(`${task.createdAt}|${task.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!at || !/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/.test(at) || !id || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  // Kept as text: listTasks hands it to Postgres unchanged, keeping the microseconds a Date would drop.
  return { createdAt: at, id };
}
