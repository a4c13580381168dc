import type { TaskState } from "@fixline/core";

/**
 * The states a planning job acts in, written once (issue 18: the entry check, the fail transition and the
 * worker's after-error check each had their own copy). In any other state the plan is out or the task is over.
 */
export const planningStates = ["received", "planning"] as const satisfies readonly TaskState[];

export function isPlanningState(state: string): state is (typeof planningStates)[number] {
  return (planningStates as readonly string[]).includes(state);
}
