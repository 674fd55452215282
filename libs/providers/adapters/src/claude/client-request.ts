import {
  ClientRequestError,
  type OpenAiChatMessage,
  type OpenAiChatRequest,
  type OpenAiContentPart,
  type OpenAiFunctionTool,
  type OpenAiToolCall,
  type OpenAiToolChoice,
} from '@your-api/providers-core';
import { isObject, stringField, type JsonObject } from './json-guards';
import {
  optionalArray,
  optionalBoolean,
  optionalNumber,
  optionalStringArray,
  requireNonEmptyArray,
  requireNonEmptyString,
  requireObject,
  requirePositiveInteger,
  requireString,
} from './client-validation';

/** Thinking budgets at or above these read as medium / high reasoning effort. */
const MEDIUM_EFFORT_BUDGET = 4096;
const HIGH_EFFORT_BUDGET = 16384;

/**
 * Validates a Claude `POST /v1/messages` body and converts it to the OpenAI pivot. Throws
 * ClientRequestError naming the field on bad input. Thinking blocks in the history are dropped
 * (OpenAI has no place for them); server tools (web search …) are dropped too.
 */
export function claudeRequestToOpenAi(body: unknown): OpenAiChatRequest {
  const request = requireObject(body, null, 'The request body');
  const model = requireNonEmptyString(request, 'model', 'model');
  const maxTokens = requirePositiveInteger(request, 'max_tokens', 'max_tokens');
  const claudeMessages = requireNonEmptyArray(request, 'messages', 'messages');
  const messages = [...systemMessages(request.system), ...claudeMessages.flatMap(toOpenAiMessages)];
  const converted: OpenAiChatRequest = { model, messages, max_tokens: maxTokens };
  if (optionalBoolean(request, 'stream') === true) {
    converted.stream = true;
    // The gateway needs the final usage to bill and to fill message_delta.usage.
    converted.stream_options = { include_usage: true };
  }
  copySampling(request, converted);
  copyTools(request, converted);
  const userId = isObject(request.metadata) ? stringField(request.metadata, 'user_id') : '';
  if (userId) converted.user = userId;
  const effort = reasoningEffort(request.thinking);
  if (effort) converted.reasoning_effort = effort;
  return converted;
}

function systemMessages(system: unknown): OpenAiChatMessage[] {
  if (system === undefined || system === null) return [];
  let text: string;
  if (typeof system === 'string') text = system;
  else if (Array.isArray(system)) text = system.map((block, index) => requireTextBlock(block, `system[${index}]`)).join('\n');
  else throw new ClientRequestError('system: must be a string or an array of text blocks', 'system');
  return text ? [{ role: 'system', content: text }] : [];
}

function requireTextBlock(block: unknown, param: string): string {
  const object = requireObject(block, param, param);
  if (object.type !== 'text') throw new ClientRequestError(`${param}: must be a text block`, `${param}.type`);
  return requireString(object, 'text', `${param}.text`);
}

/** One Claude message as OpenAI messages (a user turn with tool results becomes several). */
function toOpenAiMessages(value: unknown, index: number): OpenAiChatMessage[] {
  const param = `messages[${index}]`;
  const message = requireObject(value, param, param);
  const role = message.role;
  if (role !== 'user' && role !== 'assistant') throw new ClientRequestError(`${param}.role: must be "user" or "assistant"`, `${param}.role`);
  const content = message.content;
  if (typeof content === 'string') return [{ role, content }];
  if (!Array.isArray(content)) throw new ClientRequestError(`${param}.content: must be a string or an array of blocks`, `${param}.content`);
  const blocks = content.map((block, blockIndex) => requireBlock(block, `${param}.content[${blockIndex}]`));
  return role === 'user' ? userMessages(blocks) : [assistantMessage(blocks)];
}

interface ParamBlock {
  block: JsonObject;
  param: string;
}

function requireBlock(value: unknown, param: string): ParamBlock {
  const block = requireObject(value, param, param);
  if (typeof block.type !== 'string') throw new ClientRequestError(`${param}.type: Field required`, `${param}.type`);
  return { block, param };
}

/** Tool results first (they answer the previous assistant turn), then the rest as one user message. */
function userMessages(blocks: ParamBlock[]): OpenAiChatMessage[] {
  const toolMessages = blocks.filter(({ block }) => block.type === 'tool_result').map(toolMessage);
  const parts = blocks.flatMap(userPart);
  if (parts.length === 0 && toolMessages.length > 0) return toolMessages;
  return [...toolMessages, { role: 'user', content: simplifyParts(parts) }];
}

/** Only-text content becomes a plain string, which every upstream understands. */
function simplifyParts(parts: OpenAiContentPart[]): string | OpenAiContentPart[] {
  const texts = parts.flatMap((part) => (part.type === 'text' ? [part.text] : []));
  return texts.length === parts.length ? texts.join('\n') : parts;
}

function userPart({ block, param }: ParamBlock): OpenAiContentPart[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: requireString(block, 'text', `${param}.text`) }];
    case 'image':
      return [{ type: 'image_url', image_url: { url: imageUrl(block, param) } }];
    case 'document':
      return documentParts(block);
    default:
      // tool_result is handled apart; thinking and unknown blocks have no OpenAI form.
      return [];
  }
}

function imageUrl(block: JsonObject, param: string): string {
  const source = requireObject(block.source, `${param}.source`, `${param}.source`);
  if (source.type === 'base64') {
    const mediaType = requireString(source, 'media_type', `${param}.source.media_type`);
    return `data:${mediaType};base64,${requireString(source, 'data', `${param}.source.data`)}`;
  }
  if (source.type === 'url') return requireString(source, 'url', `${param}.source.url`);
  throw new ClientRequestError(`${param}.source.type: must be "base64" or "url"`, `${param}.source.type`);
}

/** Base64 PDFs become OpenAI file parts and plain-text documents text; other sources are dropped. */
function documentParts(block: JsonObject): OpenAiContentPart[] {
  const source = isObject(block.source) ? block.source : {};
  const data = stringField(source, 'data');
  if (source.type === 'base64' && data) {
    return [{ type: 'file', file: { file_data: `data:${stringField(source, 'media_type') || 'application/pdf'};base64,${data}` } }];
  }
  if (source.type === 'text' && data) return [{ type: 'text', text: data }];
  return [];
}

function toolMessage({ block, param }: ParamBlock): OpenAiChatMessage {
  const toolCallId = requireString(block, 'tool_use_id', `${param}.tool_use_id`);
  const text = toolResultText(block.content);
  return { role: 'tool', tool_call_id: toolCallId, content: block.is_error === true ? `Error: ${text}` : text };
}

/** A tool result's content (string or blocks) as text; images inside results have no OpenAI tool-message form. */
function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .filter((block) => block.type === 'text')
    .map((block) => stringField(block, 'text'))
    .join('\n');
}

function assistantMessage(blocks: ParamBlock[]): OpenAiChatMessage {
  const text = blocks
    .filter(({ block }) => block.type === 'text')
    .map(({ block, param }) => requireString(block, 'text', `${param}.text`))
    .join('');
  const toolCalls = blocks.filter(({ block }) => block.type === 'tool_use').map(toolCall);
  if (toolCalls.length === 0) return { role: 'assistant', content: text };
  return { role: 'assistant', content: text || null, tool_calls: toolCalls };
}

function toolCall({ block, param }: ParamBlock): OpenAiToolCall {
  return {
    id: requireString(block, 'id', `${param}.id`),
    type: 'function',
    function: { name: requireString(block, 'name', `${param}.name`), arguments: JSON.stringify(isObject(block.input) ? block.input : {}) },
  };
}

function copySampling(request: JsonObject, converted: OpenAiChatRequest): void {
  const temperature = optionalNumber(request, 'temperature');
  if (temperature !== undefined) converted.temperature = temperature;
  const topP = optionalNumber(request, 'top_p');
  if (topP !== undefined) converted.top_p = topP;
  const topK = optionalNumber(request, 'top_k');
  if (topK !== undefined) converted.top_k = topK;
  const stop = optionalStringArray(request, 'stop_sequences');
  if (stop && stop.length > 0) converted.stop = stop;
}

function copyTools(request: JsonObject, converted: OpenAiChatRequest): void {
  const tools = (optionalArray(request, 'tools') ?? []).flatMap(toFunctionTool);
  if (tools.length > 0) converted.tools = tools;
  if (request.tool_choice === undefined || request.tool_choice === null) return;
  const choice = requireObject(request.tool_choice, 'tool_choice', 'tool_choice');
  converted.tool_choice = toOpenAiToolChoice(choice);
  if (choice.disable_parallel_tool_use === true) converted.parallel_tool_calls = false;
}

/** A custom tool as an OpenAI function tool; server tools (typed, e.g. web_search_20250305) are skipped. */
function toFunctionTool(value: unknown, index: number): OpenAiFunctionTool[] {
  const param = `tools[${index}]`;
  const tool = requireObject(value, param, param);
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') return [];
  const name = requireNonEmptyString(tool, 'name', `${param}.name`);
  const parameters = requireObject(tool.input_schema, `${param}.input_schema`, `${param}.input_schema`);
  const description = stringField(tool, 'description');
  return [{ type: 'function', function: description ? { name, description, parameters } : { name, parameters } }];
}

function toOpenAiToolChoice(choice: JsonObject): OpenAiToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: requireNonEmptyString(choice, 'name', 'tool_choice.name') } };
    default:
      throw new ClientRequestError('tool_choice.type: must be one of auto, any, none, tool', 'tool_choice.type');
  }
}

/** `thinking:{type:"enabled",budget_tokens}` as an OpenAI reasoning effort by budget size. */
function reasoningEffort(thinking: unknown): OpenAiChatRequest['reasoning_effort'] | undefined {
  if (!isObject(thinking) || thinking.type !== 'enabled') return undefined;
  const budget = requirePositiveInteger(thinking, 'budget_tokens', 'thinking.budget_tokens');
  if (budget >= HIGH_EFFORT_BUDGET) return 'high';
  return budget >= MEDIUM_EFFORT_BUDGET ? 'medium' : 'low';
}
