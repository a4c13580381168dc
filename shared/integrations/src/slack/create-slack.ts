import { LogLevel, WebClient, type Logger as SlackLogger } from "@slack/web-api";
import { FixlineError, redactCalls, redactorFor, type Config, type Logger } from "@fixline/core";
import { requestJson } from "../http/request-json";
import { slackError } from "./slack-error";
import type { SlackClient } from "./slack-types";

export interface CreateSlackOptions {
  timeoutMs?: number;
}

/** @slack/web-api wants its own logger shape; route it into ours at debug so it never prints on its own. */
function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.DEBUG;
  return {
    debug: (...msg: unknown[]) => logger.debug(msg.map(String).join(" ")),
    info: (...msg: unknown[]) => logger.debug(msg.map(String).join(" ")),
    warn: (...msg: unknown[]) => logger.warn(msg.map(String).join(" ")),
    error: (...msg: unknown[]) => logger.debug(msg.map(String).join(" ")),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * The Slack client (bot token, SLACK_API_URL). Retries are off and rate-limited calls are rejected
 * immediately: a notify job must not sleep inside the web-api client, the queue retries with backoff.
 * Returns undefined when SLACK_BOT_TOKEN is unset.
 */
export function createSlack(config: Config, logger: Logger, options: CreateSlackOptions = {}): SlackClient | undefined {
  const { botToken, apiUrl, channel: defaultChannel } = config.slack;
  if (!botToken) return undefined;
  const log = logger.child({ integration: "slack" });
  const web = new WebClient(botToken, {
    slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 15_000,
    logger: slackLogger(log),
    // Method names are never URLs here; keep every call on the configured API host.
    allowAbsoluteUrls: false,
  });

  function channelOf(channel: string | undefined, operation: string): string {
    const resolved = channel ?? defaultChannel;
    if (!resolved) throw new FixlineError("CONFIG_INVALID", `Slack ${operation} needs a channel: pass one or set SLACK_CHANNEL`);
    return resolved;
  }

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw slackError(operation, error);
    }
  }

  // Every message, block and response passes the outbound redactor (issue 14).
  return redactCalls<SlackClient>({
    async postMessage({ channel, text, blocks, threadTs }) {
      const target = channelOf(channel, "chat.postMessage");
      const result = await call("chat.postMessage", () =>
        web.chat.postMessage({ channel: target, text, ...(blocks ? { blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false }),
      );
      return { ts: result.ts as string, channel: result.channel ?? target };
    },

    async updateMessage({ channel, ts, text, blocks }) {
      const result = await call("chat.update", () => web.chat.update({ channel, ts, text, ...(blocks ? { blocks } : {}) }));
      return { ts: result.ts ?? ts, channel: result.channel ?? channel };
    },

    async postEphemeral({ channel, user, text, blocks, threadTs }) {
      const target = channelOf(channel, "chat.postEphemeral");
      const result = await call("chat.postEphemeral", () =>
        web.chat.postEphemeral({ channel: target, user, text, ...(blocks ? { blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}) }),
      );
      return { messageTs: result.message_ts as string };
    },

    async respond(responseUrl, body) {
      // Response URLs are unauthenticated by design: the URL itself is the capability.
      await requestJson({ service: "Slack", operation: "POST response_url", url: responseUrl, method: "POST", body, redactor: redactorFor(config) });
    },

    async authTest() {
      const result = await call("auth.test", () => web.auth.test());
      return { team: result.team ?? "", user: result.user ?? "", teamId: result.team_id ?? "", userId: result.user_id ?? "", botId: result.bot_id };
    },
  }, redactorFor(config));
}
