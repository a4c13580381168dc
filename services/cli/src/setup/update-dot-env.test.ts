import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateDotEnv } from "./update-dot-env";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fixline-update-env-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("updateDotEnv", () => {
  it("replaces a variable in place, keeps comments and other lines, appends new ones", async () => {
    const path = join(dir, ".env");
    await writeFile(path, "# mine\nPORT=3100\nexport GITHUB_APP_ID=1\nSLACK_CHANNEL=C1");
    updateDotEnv(path, { GITHUB_APP_ID: "42", GITHUB_WEBHOOK_SECRET: "s3cret" });
    expect(await readFile(path, "utf8")).toBe("# mine\nPORT=3100\nGITHUB_APP_ID=42\nSLACK_CHANNEL=C1\nGITHUB_WEBHOOK_SECRET=s3cret\n");
  });

  it("refuses a value that would smuggle in another line (a variable of the sender's choosing)", async () => {
    const path = join(dir, "attack.env");
    expect(() => updateDotEnv(path, { GITHUB_WEBHOOK_SECRET: "x\nDATABASE_URL=postgres://evil" })).toThrow(/one line/);
    expect(() => updateDotEnv(path, { "BAD NAME": "x" })).toThrow(/not a variable name/);
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
  });
});
