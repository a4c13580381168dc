import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";

/** Where `fixline login` keeps personal tokens, one per server URL (mode 0600, like ~/.netrc). */
export function credentialsPath(home: string = homedir()): string {
  return join(home, ".config", "fixline", "credentials.json");
}

const fileSchema = z.object({ servers: z.record(z.string(), z.object({ token: z.string().min(1), login: z.string().optional() })).default({}) });

function readFile(path: string): z.infer<typeof fileSchema> {
  try {
    return fileSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    return { servers: {} };
  }
}

const key = (baseUrl: string) => baseUrl.replace(/\/+$/, "");

export function readStoredToken(baseUrl: string, path: string = credentialsPath()): { token: string; login?: string } | undefined {
  return readFile(path).servers[key(baseUrl)];
}

export function storeToken(baseUrl: string, entry: { token: string; login: string }, path: string = credentialsPath()): void {
  const file = readFile(path);
  file.servers[key(baseUrl)] = entry;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function forgetToken(baseUrl: string, path: string = credentialsPath()): boolean {
  const file = readFile(path);
  if (!file.servers[key(baseUrl)]) return false;
  delete file.servers[key(baseUrl)];
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  return true;
}
