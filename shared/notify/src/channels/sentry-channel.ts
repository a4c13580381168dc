import { eventText } from "../event-text";
import type { Channel } from "../notify-types";

const noted = new Set(["plan_ready", "failed", "completed"]);

/** A note on the Sentry issue (when SENTRY_AUTH_TOKEN is set), so people triaging there see the fix in flight. */
export const sentryChannel: Channel = (request, deps) => {
  const { sentry } = deps;
  const issueId = request.task.context.sentry?.issueId;
  if (!sentry || !issueId || !noted.has(request.event)) return undefined;
  const text = `Fixline: ${eventText(request.task, request)}`;
  return {
    channel: "sentry",
    target: `issue ${issueId}`,
    text,
    async send() {
      return (await sentry.addNote(issueId, text)).id || null;
    },
  };
};
