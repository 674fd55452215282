/**
 * Coze chat API v3 (`POST /v3/chat`) shapes, as far as the gateway reads or writes them.
 * Replies are read defensively, not trusted.
 */

/** One part of an `object_string` message (a JSON array in a string): text and image URLs. */
export type CozeObjectPart = { type: 'text'; text: string } | { type: 'image'; file_url: string };

export interface CozeEnterMessage {
  role: 'user' | 'assistant';
  /** `question` for the user's turns, `answer` for the bot's. */
  type: 'question' | 'answer';
  /** Plain text, or for `object_string` the JSON text of a CozeObjectPart array. */
  content: string;
  content_type: 'text' | 'object_string';
}

export interface CozeChatRequest {
  bot_id: string;
  user_id: string;
  additional_messages: CozeEnterMessage[];
  stream: boolean;
}

/** A chatflow run (`POST /v1/workflows/chat`): same messages and the same event stream as a bot chat. */
export interface CozeWorkflowChatRequest {
  workflow_id: string;
  additional_messages: CozeEnterMessage[];
  /** The workflow's start-node inputs. */
  parameters: Record<string, unknown>;
  stream: boolean;
}

export interface CozeUsage {
  token_count?: number;
  output_count?: number;
  input_count?: number;
}

/** The chat object of `conversation.chat.*` events (and of a non-stream create). */
export interface CozeChat {
  id: string;
  conversation_id: string;
  bot_id: string;
  status: 'created' | 'in_progress' | 'completed' | 'failed' | 'requires_action' | 'canceled';
  usage?: CozeUsage;
  last_error?: { code: number; msg: string };
}

/** A message of `conversation.message.*` events and of `/v3/chat/message/list`. */
export interface CozeMessage {
  id: string;
  conversation_id: string;
  chat_id: string;
  role: 'user' | 'assistant';
  /** `answer` is the reply; `function_call`, `tool_output`, `verbose`, `follow_up` are not. */
  type: string;
  content: string;
  content_type: string;
  reasoning_content?: string;
  created_at?: number;
}

/** Coze's error body (often with HTTP 200) and the stream's `error` event. */
export interface CozeErrorBody {
  code: number;
  msg: string;
}
