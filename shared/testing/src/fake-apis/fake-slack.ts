import { headerValue, startFakeHttpServer, type FakeRequest, type FakeResponse, type FakeRoute, type RecordedRequest } from "./fake-http-server";

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  /** Set for chat.postEphemeral: the only user who sees it. */
  user: string | undefined;
  /** Earlier versions, oldest first, kept when chat.update replaces text or blocks. */
  history: Array<{ text: string | undefined; blocks: unknown[] | undefined }>;
}

export interface FakeSlackState {
  tokens: Set<string>;
  /** Channels that exist; posting elsewhere answers channel_not_found like Slack. */
  channels: Set<string>;
  messages: FakeSlackMessage[];
  /** Bodies POSTed to response URLs, by the id in `/response/<id>`. */
  responses: Map<string, unknown[]>;
}

export interface FakeSlack {
  /** The server's origin. */
  url: string;
  /** What to configure as SLACK_API_URL (`<url>/api/`). */
  apiUrl: string;
  received: RecordedRequest[];
  state: FakeSlackState;
  failNext(status: number, count?: number): void;
  /** A response_url served by this fake; posts to it are recorded in state.responses. */
  responseUrl(id: string): string;
  close(): Promise<void>;
}

export interface StartFakeSlackOptions {
  token?: string;
  channels?: string[];
}

/** Slack answers HTTP 200 with `ok: false` for application errors; only outages are HTTP errors. */
function slackError(error: string): FakeResponse {
  return { status: 200, body: { ok: false, error } };
}

/** Web API arguments arrive form-encoded with objects as JSON strings, or as a JSON body. */
function argumentsOf(request: FakeRequest): Record<string, unknown> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string" && (key === "blocks" || key === "attachments")) {
      try {
        args[key] = JSON.parse(value) as unknown;
      } catch {
        args[key] = value;
      }
    } else args[key] = value;
  }
  return args;
}

/**
 * A local Slack Web API (chat.postMessage, chat.update, chat.postEphemeral, auth.test) and response_url
 * endpoint. It checks the bot token like Slack and validates the arguments those methods require.
 */
export async function startFakeSlack(options: StartFakeSlackOptions = {}): Promise<FakeSlack> {
  const state: FakeSlackState = {
    tokens: new Set([options.token ?? "xoxb-fixline-fake"]),
    channels: new Set(options.channels ?? ["C0FIXLINE"]),
    messages: [],
    responses: new Map(),
  };
  let clock = 1_700_000_000_000_100;
  const nextTs = (): string => {
    clock += 100;
    const text = String(clock);
    return `${text.slice(0, 10)}.${text.slice(10)}`;
  };

  function method(name: string, handler: (args: Record<string, unknown>) => FakeResponse): FakeRoute {
    return {
      method: "POST",
      pattern: `/api/${name}`,
      handler: (request) => {
        const header = headerValue(request.headers, "authorization");
        const args = argumentsOf(request);
        const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : typeof args.token === "string" ? args.token : undefined;
        if (!token) return slackError("not_authed");
        if (!token.startsWith("xoxb-") || !state.tokens.has(token)) return slackError("invalid_auth");
        return handler(args);
      },
    };
  }

  function checkContent(args: Record<string, unknown>): FakeResponse | undefined {
    if (typeof args.channel !== "string" || args.channel === "") return slackError("channel_not_found");
    if (!state.channels.has(args.channel)) return slackError("channel_not_found");
    if ((typeof args.text !== "string" || args.text === "") && !Array.isArray(args.blocks)) return slackError("no_text");
    if (args.blocks !== undefined && !Array.isArray(args.blocks)) return slackError("invalid_blocks");
    return undefined;
  }

  const routes: FakeRoute[] = [
    method("auth.test", () => ({ status: 200, body: { ok: true, url: "https://fixline-fake.slack.com/", team: "Fixline", user: "fixline", team_id: "T0FIXLINE", user_id: "U0FIXLINE", bot_id: "B0FIXLINE" } })),
    method("chat.postMessage", (args) => {
      const invalid = checkContent(args);
      if (invalid) return invalid;
      const threadTs = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
      if (threadTs && !state.messages.some((message) => message.ts === threadTs && message.channel === args.channel)) return slackError("thread_not_found");
      const message: FakeSlackMessage = {
        channel: args.channel as string,
        ts: nextTs(),
        text: args.text as string | undefined,
        blocks: args.blocks as unknown[] | undefined,
        threadTs,
        user: undefined,
        history: [],
      };
      state.messages.push(message);
      return { status: 200, body: { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text, ts: message.ts, thread_ts: threadTs } } };
    }),
    method("chat.update", (args) => {
      const invalid = checkContent(args);
      if (invalid) return invalid;
      const message = state.messages.find((candidate) => candidate.channel === args.channel && candidate.ts === args.ts && candidate.user === undefined);
      if (!message) return slackError("message_not_found");
      message.history.push({ text: message.text, blocks: message.blocks });
      message.text = args.text as string | undefined;
      message.blocks = args.blocks as unknown[] | undefined;
      return { status: 200, body: { ok: true, channel: message.channel, ts: message.ts, text: message.text } };
    }),
    method("chat.postEphemeral", (args) => {
      const invalid = checkContent(args);
      if (invalid) return invalid;
      if (typeof args.user !== "string" || args.user === "") return slackError("user_not_found");
      const message: FakeSlackMessage = {
        channel: args.channel as string,
        ts: nextTs(),
        text: args.text as string | undefined,
        blocks: args.blocks as unknown[] | undefined,
        threadTs: typeof args.thread_ts === "string" ? args.thread_ts : undefined,
        user: args.user,
        history: [],
      };
      state.messages.push(message);
      return { status: 200, body: { ok: true, message_ts: message.ts } };
    }),
    {
      method: "POST",
      pattern: "/response/:id",
      handler: (request) => {
        const body = request.body;
        if (typeof body !== "object" || body === null) return { status: 400, body: "invalid_payload" };
        const list = state.responses.get(request.params.id as string) ?? [];
        list.push(body);
        state.responses.set(request.params.id as string, list);
        return { status: 200, body: "ok" };
      },
    },
  ];

  const server = await startFakeHttpServer({ routes, failureBody: () => "service unavailable" });
  return {
    url: server.url,
    apiUrl: `${server.url}/api/`,
    received: server.received,
    state,
    failNext: server.failNext,
    responseUrl: (id) => `${server.url}/response/${encodeURIComponent(id)}`,
    close: server.close,
  };
}
