/**
 * Cohere Chat API v2 (`POST /v2/chat`) shapes, as far as the gateway reads or writes them.
 * Fields the gateway never touches are left out; replies are read defensively, not trusted.
 */

export interface CohereTextContent {
  type: 'text';
  text: string;
}

export interface CohereImageContent {
  type: 'image_url';
  image_url: { url: string; detail?: string };
}

export type CohereUserContent = CohereTextContent | CohereImageContent;

export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface CohereSystemMessage {
  role: 'system';
  content: string;
}

export interface CohereUserMessage {
  role: 'user';
  content: string | CohereUserContent[];
}

export interface CohereAssistantMessage {
  role: 'assistant';
  content?: string;
  /** The model's plan before its tool calls; Cohere wants it here rather than in `content`. */
  tool_plan?: string;
  tool_calls?: CohereToolCall[];
}

export interface CohereToolMessage {
  role: 'tool';
  tool_call_id: string;
  content: string;
}

export type CohereMessage = CohereSystemMessage | CohereUserMessage | CohereAssistantMessage | CohereToolMessage;

export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/** COHERE_SAFETY_SETTING values Cohere accepts; NONE means "send no safety_mode" (New API). */
export type CohereSafetyMode = 'CONTEXTUAL' | 'STRICT' | 'OFF';

export interface CohereChatRequest {
  model: string;
  messages: CohereMessage[];
  stream?: boolean;
  tools?: CohereTool[];
  tool_choice?: 'REQUIRED' | 'NONE';
  max_tokens?: number;
  temperature?: number;
  p?: number;
  k?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  stop_sequences?: string[];
  response_format?: { type: 'text' } | { type: 'json_object'; json_schema?: Record<string, unknown> };
  safety_mode?: CohereSafetyMode;
}

export type CohereFinishReason = 'COMPLETE' | 'STOP_SEQUENCE' | 'MAX_TOKENS' | 'TOOL_CALL' | 'ERROR' | 'TIMEOUT';

export interface CohereTokenCounts {
  input_tokens?: number;
  output_tokens?: number;
}

/** `usage` of a reply and of the stream's message-end event. */
export interface CohereUsage {
  billed_units?: CohereTokenCounts & { search_units?: number; classifications?: number };
  tokens?: CohereTokenCounts;
}

/** A non-stream reply. */
export interface CohereChatResponse {
  id: string;
  finish_reason: CohereFinishReason;
  message: {
    role: 'assistant';
    content?: ({ type: 'text'; text: string } | { type: 'thinking'; thinking: string })[];
    tool_plan?: string;
    tool_calls?: CohereToolCall[];
  };
  usage?: CohereUsage;
}

/** Cohere's error body: `{"id": "…", "message": "…"}`. */
export interface CohereErrorBody {
  id?: string;
  message: string;
}
