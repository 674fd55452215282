/**
 * Anthropic Messages API shapes (protocols.md §2), only the parts the gateway reads or writes.
 * Bodies read from the wire are `unknown` first and narrowed field by field; these types describe
 * what we build and what we expect after narrowing.
 */

export interface ClaudeTextBlock {
  type: 'text';
  text: string;
}

export type ClaudeImageSource = { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };

export interface ClaudeImageBlock {
  type: 'image';
  source: ClaudeImageSource;
}

export interface ClaudeDocumentBlock {
  type: 'document';
  source: { type: 'base64'; media_type: string; data: string };
}

export interface ClaudeToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ClaudeToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string;
  is_error?: boolean;
}

export interface ClaudeThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

/** Blocks the gateway sends upstream inside `messages[].content`. */
export type ClaudeRequestBlock = ClaudeTextBlock | ClaudeImageBlock | ClaudeDocumentBlock | ClaudeToolUseBlock | ClaudeToolResultBlock;

export interface ClaudeRequestMessage {
  role: 'user' | 'assistant';
  content: ClaudeRequestBlock[];
}

export interface ClaudeTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

export type ClaudeToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export interface ClaudeThinkingConfig {
  type: 'enabled';
  budget_tokens: number;
}

export interface ClaudeMessagesRequest {
  model: string;
  messages: ClaudeRequestMessage[];
  max_tokens: number;
  system?: string;
  stop_sequences?: string[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  tools?: ClaudeTool[];
  tool_choice?: ClaudeToolChoice;
  thinking?: ClaudeThinkingConfig;
  metadata?: { user_id: string };
}

/** Blocks the gateway writes in a response to a Claude-format client. */
export type ClaudeResponseBlock = ClaudeThinkingBlock | ClaudeTextBlock | ClaudeToolUseBlock;

export type ClaudeStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | 'model_context_window_exceeded';

/** `usage` of a Message; `input_tokens` excludes cache reads and writes. */
export interface ClaudeUsageJson {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export interface ClaudeMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ClaudeResponseBlock[];
  stop_reason: ClaudeStopReason | null;
  stop_sequence: string | null;
  usage: ClaudeUsageJson;
}

export interface ClaudeErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export type ClaudeBlockDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'input_json_delta'; partial_json: string };

/** The events of a Claude stream the gateway writes (protocols.md §2.4). */
export type ClaudeStreamEvent =
  | { type: 'message_start'; message: ClaudeMessage }
  | { type: 'content_block_start'; index: number; content_block: ClaudeResponseBlock }
  | { type: 'content_block_delta'; index: number; delta: ClaudeBlockDelta }
  | { type: 'content_block_stop'; index: number }
  | { type: 'message_delta'; delta: { stop_reason: ClaudeStopReason; stop_sequence: null }; usage: ClaudeUsageJson }
  | { type: 'message_stop' }
  | ClaudeErrorBody;
