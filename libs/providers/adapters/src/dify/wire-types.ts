/**
 * Dify chat app API (`POST /v1/chat-messages`, chatbot, agent and chatflow apps) shapes, as far
 * as the gateway reads or writes them. Replies are read defensively, not trusted.
 */

/** A file the app may read; the gateway sends image URLs only (`remote_url`). */
export interface DifyFile {
  type: 'image';
  transfer_method: 'remote_url';
  url: string;
}

export interface DifyChatRequest {
  /** App variables; the gateway has none to fill. */
  inputs: Record<string, unknown>;
  query: string;
  response_mode: 'streaming' | 'blocking';
  user: string;
  /** Off, as in New API: a conversation title costs tokens nobody sees. */
  auto_generate_name: boolean;
  files?: DifyFile[];
}

/** `metadata.usage` of a blocking reply and of the stream's message_end event. */
export interface DifyUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  total_price?: string;
  currency?: string;
}

/** A blocking reply. */
export interface DifyChatResponse {
  event?: 'message';
  message_id?: string;
  conversation_id?: string;
  mode?: string;
  answer: string;
  metadata?: { usage?: DifyUsage };
  created_at?: number;
}

/** Dify's error body (HTTP errors, and the stream's `error` event with `event:"error"`). */
export interface DifyErrorBody {
  code: string;
  message: string;
  status: number;
}
