/** A Block Kit block; kept structural so rendering does not depend on @slack/types' large unions. */
export type SlackBlock = Record<string, unknown> & { type: string };

export interface SlackMessage {
  /** Defaults to SLACK_CHANNEL. */
  channel?: string;
  /** Always set: it is the notification text and the fallback where blocks cannot show. */
  text: string;
  blocks?: SlackBlock[];
  threadTs?: string;
}

/** What a slash command's or interaction's response_url accepts. */
export interface SlackResponseBody {
  text: string;
  blocks?: SlackBlock[];
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
  delete_original?: boolean;
  thread_ts?: string;
}

export interface SlackClient {
  postMessage(message: SlackMessage): Promise<{ ts: string; channel: string }>;
  updateMessage(message: { channel: string; ts: string; text: string; blocks?: SlackBlock[] }): Promise<{ ts: string; channel: string }>;
  postEphemeral(message: SlackMessage & { user: string }): Promise<{ messageTs: string }>;
  /** POSTs to a response_url from a slash command or interaction (valid 30 minutes, 5 uses). */
  respond(responseUrl: string, body: SlackResponseBody): Promise<void>;
  authTest(): Promise<{ team: string; user: string; teamId: string; userId: string; botId: string | undefined }>;
}
