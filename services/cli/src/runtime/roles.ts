/** What one `fixline start` process runs: every role, or one of them (for scaling out). */
export const roles = ["all", "webhook", "planner", "executor"] as const;
export type Role = (typeof roles)[number];
