import type { SseEvent } from './sse';
import type { Usage } from './usage';
import type { OpenAiChatChunk, OpenAiChatRequest, OpenAiChatResponse } from './openai-chat';

/** What the relay knows about the channel serving one attempt. */
export interface UpstreamContext {
  /** New API channel type id (contracts' ChannelType). */
  channelType: number;
  /** The channel's base URL, already defaulted by channel type, without a trailing slash. */
  baseUrl: string;
  /** The one key chosen for this attempt (multi-key channels: one line of the key field). */
  apiKey: string;
  /** Model name after the channel's model mapping and suffix handling. */
  upstreamModel: string;
  stream: boolean;
  /** The channel's `other` column (Azure: api-version; Coze: bot id …), '' when unset. */
  other: string;
  /** Operator settings some protocols read; absent means the protocol's default. */
  settings: {
    /** GEMINI_VERSION, default 'v1beta'. */
    geminiVersion?: string;
    /** GEMINI_SAFETY_SETTING, default 'BLOCK_NONE'. */
    geminiSafetySetting?: string;
    /** GEMINI_VISION_MAX_IMAGE_NUM, default 16; -1 = unlimited. */
    geminiVisionMaxImageNum?: number;
    /** AZURE_DEFAULT_API_VERSION, used when the channel sets none. */
    azureApiVersion?: string;
    /** COHERE_SAFETY_SETTING. */
    cohereSafetySetting?: string;
    /** DIFY_DEBUG: Dify workflow and node events become reasoning_content lines (default false). */
    difyDebug?: boolean;
    /** Channel setting: fold reasoning into content as <think>…</think>. */
    thinkingToContent?: boolean;
    /** Enable Claude extended thinking (from a `-thinking` model suffix). */
    claudeThinking?: boolean;
    /** Claude thinking budget as a fraction of max_tokens (default 0.8). */
    claudeThinkingBudgetRatio?: number;
  };
  /** Selected client request headers a protocol may forward (e.g. `anthropic-beta`), lower-cased names. */
  clientHeaders?: Readonly<Record<string, string>>;
}

/** One HTTP request to send upstream (always POST). */
export interface UpstreamTarget {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The provider's error body, read for the client and the auto-disable rules. */
export interface ProviderErrorDetail {
  message: string;
  type: string;
  code: string;
}

/** Turns one upstream stream into OpenAI chunk payloads, event by event (stateful, pure otherwise). */
export interface ChatStreamConverter {
  /** One upstream SSE event in; zero or more OpenAI `data:` payloads (chunk JSON text, or '[DONE]') out, in order. */
  onEvent(event: SseEvent): string[];
  /** The upstream stream ended: whatever is still owed, ending with '[DONE]' if it was not sent yet. */
  end(): string[];
}

/**
 * An upstream protocol that is not OpenAI's own, speaking OpenAI chat to the relay.
 * Implementations are pure: no I/O, no clocks except `created` timestamps, no globals.
 */
export interface ChatUpstreamAdapter {
  buildChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): UpstreamTarget;
  /** A successful non-stream body (parsed JSON) → an OpenAI chat completion with OpenAI-semantics usage. */
  convertChatResponse(json: unknown, ctx: UpstreamContext): OpenAiChatResponse;
  createChatStreamConverter(ctx: UpstreamContext): ChatStreamConverter;
  /** Reads an error body (parsed JSON, or null when it was not JSON). */
  readError(json: unknown): ProviderErrorDetail;
}

/** One SSE frame for a client: `event:` line (omitted when undefined) and `data:`. */
export interface SseFrame {
  event?: string;
  data: string;
}

export function formatSseFrame(frame: SseFrame): string {
  return frame.event ? `event: ${frame.event}\ndata: ${frame.data}\n\n` : `data: ${frame.data}\n\n`;
}

/** A client request the format cannot accept: becomes a 400 in that client's error shape. */
export class ClientRequestError extends Error {
  constructor(
    message: string,
    /** The offending field, e.g. 'messages[2].content'. */
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

/** Writes one OpenAI chunk stream as a client format's stream. */
export interface ClientStreamWriter {
  /** One parsed OpenAI chunk in; frames for the client out (possibly none). */
  onChunk(chunk: OpenAiChatChunk): SseFrame[];
  /**
   * The upstream stream ended. `usage` is the final usage the relay settled on (upstream's or
   * counted locally); the writer closes every open block and ends the stream.
   */
  end(usage: Usage): SseFrame[];
  /** An error after the stream started, as this format's in-stream error frame. */
  error(status: number, message: string): SseFrame[];
}

/**
 * A client-facing API format other than OpenAI chat (Claude /v1/messages, Gemini /v1beta),
 * converted to and from the OpenAI pivot. Pure.
 */
export interface ClientChatFormat {
  /**
   * Validates and converts a client body. `pathModel`/`pathStream` come from the URL when the
   * format carries them there (Gemini). Throws ClientRequestError on bad input.
   */
  toOpenAi(body: unknown, route: { pathModel?: string; pathStream?: boolean }): OpenAiChatRequest;
  /** An OpenAI chat completion → this format's response body. `model` is the name the client asked for. */
  fromOpenAiResponse(response: OpenAiChatResponse, model: string): unknown;
  /** `promptTokens` is the gateway's estimate, for formats that announce input tokens up front (Claude message_start). */
  createStreamWriter(model: string, promptTokens: number): ClientStreamWriter;
  /** This format's error body for a status and message. */
  errorBody(status: number, message: string): unknown;
}
