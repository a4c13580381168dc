import { fileURLToPath } from "node:url";

/** The repository's `.env` (beside .env.example's documented variables), whatever directory the CLI runs from. */
export const dotEnvPath = fileURLToPath(new URL("../../../../.env", import.meta.url));
