/**
 * Which hook events a task_events row (a state change) produces. `state_changed` fires on every change;
 * `post_execution` when an executing task ends; `on_error` whenever a task fails.
 */
export function hookEventsFor(fromState: string | null, toState: string | null): string[] {
  if (!toState || fromState === toState) return [];
  const events = ["state_changed"];
  if (fromState === "executing" && (toState === "completed" || toState === "failed" || toState === "cancelled")) events.push("post_execution");
  if (toState === "failed") events.push("on_error");
  return events;
}
