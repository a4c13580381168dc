export { createNotifyWorker, type NotifyWorkerDeps } from "./create-notify-worker";
export { notifyTask, channels, type NotifyOutcome } from "./notify-task";
export type { NotifyDeps, NotifyRequest, NotifyMessage, ChannelName, ChannelMessage, Channel } from "./notify-types";
export { planFactsOf, type PlanFacts } from "./plan-facts";
export { eventText, failureOf, taskUrl } from "./event-text";
export { renderSlack } from "./channels/slack-channel";
