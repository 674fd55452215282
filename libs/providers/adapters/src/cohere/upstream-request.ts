import {
  contentText,
  type OpenAiChatMessage,
  type OpenAiChatRequest,
  type OpenAiContentPart,
  type OpenAiFunctionTool,
  type UpstreamContext,
  type UpstreamTarget,
} from '@your-api/providers-core';
import type {
  CohereAssistantMessage,
  CohereChatRequest,
  CohereMessage,
  CohereSafetyMode,
  CohereTool,
  CohereUserContent,
} from './wire-types';

const DEFAULT_BASE_URL = 'https://api.cohere.com';
const SAFETY_MODES: ReadonlySet<string> = new Set<CohereSafetyMode>(['CONTEXTUAL', 'STRICT', 'OFF']);

/** `<base>/v2/chat`, tolerating a trailing slash or a base that already ends in `/v2`. */
export function cohereChatUrl(baseUrl: string): string {
  const base = (baseUrl.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
  return base.endsWith('/v2') ? `${base}/chat` : `${base}/v2/chat`;
}

export function cohereRequestHeaders(ctx: UpstreamContext): Record<string, string> {
  return {
    authorization: `Bearer ${ctx.apiKey}`,
    'content-type': 'application/json',
    accept: ctx.stream ? 'text/event-stream' : 'application/json',
  };
}

/**
 * COHERE_SAFETY_SETTING as Cohere's `safety_mode`, or null to send none: New API leaves the field
 * out for NONE (its default), so Cohere applies the model's own default.
 */
export function cohereSafetyMode(setting: string | undefined): CohereSafetyMode | null {
  const mode = (setting ?? '').trim().toUpperCase();
  return SAFETY_MODES.has(mode) ? (mode as CohereSafetyMode) : null;
}

/** An OpenAI chat request as a Cohere Chat v2 request body. */
export function toCohereChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): CohereChatRequest {
  const body: CohereChatRequest = { model: ctx.upstreamModel, messages: request.messages.flatMap(toCohereMessages) };
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === 'number' && maxTokens >= 1) body.max_tokens = Math.floor(maxTokens);
  if (typeof request.temperature === 'number') body.temperature = request.temperature;
  if (typeof request.top_p === 'number') body.p = request.top_p;
  if (typeof request.top_k === 'number') body.k = request.top_k;
  if (typeof request.seed === 'number') body.seed = request.seed;
  if (typeof request.frequency_penalty === 'number') body.frequency_penalty = request.frequency_penalty;
  if (typeof request.presence_penalty === 'number') body.presence_penalty = request.presence_penalty;
  const stop = typeof request.stop === 'string' ? [request.stop] : Array.isArray(request.stop) ? request.stop : [];
  const stopSequences = stop.filter((sequence) => typeof sequence === 'string' && sequence !== '');
  if (stopSequences.length > 0) body.stop_sequences = stopSequences;
  addTools(body, request);
  addResponseFormat(body, request.response_format);
  const safetyMode = cohereSafetyMode(ctx.settings.cohereSafetySetting);
  if (safetyMode) body.safety_mode = safetyMode;
  if (ctx.stream) body.stream = true;
  return body;
}

export function buildCohereChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): UpstreamTarget {
  return { url: cohereChatUrl(ctx.baseUrl), headers: cohereRequestHeaders(ctx), body: JSON.stringify(toCohereChatRequest(request, ctx)) };
}

function toCohereMessages(message: OpenAiChatMessage): CohereMessage[] {
  switch (message.role) {
    case 'system':
    case 'developer':
      return [{ role: 'system', content: contentText(message.content) }];
    case 'user':
      return [{ role: 'user', content: userContent(message.content) }];
    case 'assistant':
      return [assistantMessage(message)];
    case 'tool':
      return [{ role: 'tool', tool_call_id: message.tool_call_id ?? '', content: contentText(message.content) }];
  }
}

/** Plain text stays a string; with images, Cohere's content parts (vision models). Audio and files have no Cohere form. */
function userContent(content: OpenAiChatMessage['content']): string | CohereUserContent[] {
  if (!Array.isArray(content)) return typeof content === 'string' ? content : '';
  if (!content.some((part) => part.type === 'image_url')) return contentText(content);
  return content.flatMap((part: OpenAiContentPart): CohereUserContent[] => {
    if (part.type === 'text') return part.text ? [{ type: 'text', text: part.text }] : [];
    if (part.type === 'image_url' && typeof part.image_url?.url === 'string') {
      const image: CohereUserContent = { type: 'image_url', image_url: { url: part.image_url.url } };
      if (part.image_url.detail) image.image_url.detail = part.image_url.detail;
      return [image];
    }
    return [];
  });
}

/**
 * With tool calls, Cohere takes the text before them as `tool_plan`, not `content` (it is what its
 * own replies put there); the OpenAI history may carry that plan in `reasoning_content`, where this
 * gateway puts Cohere's tool plans.
 */
function assistantMessage(message: OpenAiChatMessage): CohereAssistantMessage {
  const text = contentText(message.content);
  const calls = message.tool_calls ?? [];
  if (calls.length === 0) return { role: 'assistant', content: text };
  const converted: CohereAssistantMessage = {
    role: 'assistant',
    tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments || '{}' } })),
  };
  const plan = text || (typeof message.reasoning_content === 'string' ? message.reasoning_content : '');
  if (plan) converted.tool_plan = plan;
  return converted;
}

function addTools(body: CohereChatRequest, request: OpenAiChatRequest): void {
  let tools = (request.tools ?? []).filter((tool) => tool.type === 'function');
  if (tools.length === 0) return;
  const choice = request.tool_choice;
  if (choice === 'none') body.tool_choice = 'NONE';
  else if (choice === 'required') body.tool_choice = 'REQUIRED';
  else if (typeof choice === 'object' && choice !== null && choice.type === 'function') {
    // Cohere cannot name one tool: offer only that one, and require a call.
    tools = tools.filter((tool) => tool.function.name === choice.function.name);
    body.tool_choice = 'REQUIRED';
  }
  body.tools = tools.map(toCohereTool);
}

function toCohereTool(tool: OpenAiFunctionTool): CohereTool {
  const converted: CohereTool = {
    type: 'function',
    function: { name: tool.function.name, parameters: tool.function.parameters ?? { type: 'object', properties: {} } },
  };
  if (tool.function.description) converted.function.description = tool.function.description;
  return converted;
}

function addResponseFormat(body: CohereChatRequest, format: OpenAiChatRequest['response_format']): void {
  if (format?.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (format?.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    body.response_format = schema ? { type: 'json_object', json_schema: schema } : { type: 'json_object' };
  }
}
