import {
  contentText,
  parseDataUrl,
  type OpenAiChatMessage,
  type OpenAiChatRequest,
  type OpenAiContentPart,
  type OpenAiFunctionTool,
  type OpenAiToolChoice,
  type UpstreamContext,
} from '@your-api/providers-core';
import { parseToolInput } from './json-guards';
import type {
  ClaudeMessagesRequest,
  ClaudeRequestBlock,
  ClaudeRequestMessage,
  ClaudeTool,
  ClaudeToolChoice,
  ClaudeToolResultBlock,
} from './wire-types';

export const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** Anthropic rejects empty text, so empty turns say this instead (as New API does). */
const PLACEHOLDER_TEXT = '...';
const DEFAULT_THINKING_BUDGET_RATIO = 0.8;
/** Thinking needs budget_tokens ≥ 1024 and < max_tokens; New API raises max_tokens to 1280 for it. */
const MIN_THINKING_BUDGET = 1024;
const MIN_MAX_TOKENS_WITH_THINKING = 1280;

/** `<base>/v1/messages`, tolerating a trailing slash or a base that already ends in `/v1`. */
export function claudeMessagesUrl(baseUrl: string): string {
  const base = (baseUrl.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
}

export function claudeRequestHeaders(ctx: UpstreamContext): Record<string, string> {
  const headers: Record<string, string> = {
    'x-api-key': ctx.apiKey,
    'anthropic-version': ANTHROPIC_VERSION,
    'content-type': 'application/json',
    accept: ctx.stream ? 'text/event-stream' : 'application/json',
  };
  const beta = ctx.clientHeaders?.['anthropic-beta'];
  if (beta) headers['anthropic-beta'] = beta;
  return headers;
}

/**
 * max_tokens is required by Anthropic; when the client sent none, use what the model can produce
 * without a beta header: 8192 from the 3.5 generation on, 4096 for older models.
 */
export function defaultClaudeMaxTokens(model: string): number {
  return /claude-(?:3[-.][5-9]|(?:opus|sonnet|haiku)-[4-9]|[4-9])/.test(model) ? 8192 : 4096;
}

/** An OpenAI chat request as an Anthropic Messages request body (protocols.md §2.5). */
export function toClaudeMessagesRequest(request: OpenAiChatRequest, ctx: UpstreamContext): ClaudeMessagesRequest {
  const body: ClaudeMessagesRequest = {
    model: ctx.upstreamModel,
    messages: toClaudeConversation(request.messages),
    max_tokens: requestedMaxTokens(request) ?? defaultClaudeMaxTokens(ctx.upstreamModel),
  };
  const system = systemText(request.messages);
  if (system) body.system = system;
  const stopSequences = toStopSequences(request.stop);
  if (stopSequences.length > 0) body.stop_sequences = stopSequences;
  if (typeof request.temperature === 'number') body.temperature = request.temperature;
  if (typeof request.top_p === 'number') body.top_p = request.top_p;
  if (typeof request.top_k === 'number') body.top_k = request.top_k;
  addTools(body, request);
  if (typeof request.user === 'string' && request.user) body.metadata = { user_id: request.user };
  if (ctx.settings.claudeThinking === true || asksForReasoning(request)) {
    enableThinking(body, ctx.settings.claudeThinkingBudgetRatio);
  }
  if (ctx.stream) body.stream = true;
  return body;
}

function requestedMaxTokens(request: OpenAiChatRequest): number | null {
  const value = request.max_completion_tokens ?? request.max_tokens;
  return typeof value === 'number' && value >= 1 ? Math.floor(value) : null;
}

function asksForReasoning(request: OpenAiChatRequest): boolean {
  return typeof request.reasoning_effort === 'string' && request.reasoning_effort !== '' && request.reasoning_effort !== 'none';
}

/** System and developer messages, which Anthropic takes only as the top-level `system`. */
function systemText(messages: OpenAiChatMessage[]): string {
  return messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map((message) => contentText(message.content))
    .filter((text) => text !== '')
    .join('\n');
}

/** The non-system messages as strictly alternating user/assistant turns starting with a user turn. */
function toClaudeConversation(messages: OpenAiChatMessage[]): ClaudeRequestMessage[] {
  const turns: ClaudeRequestMessage[] = [];
  for (const message of messages) {
    const turn = toClaudeTurn(message);
    if (!turn) continue;
    const previous = turns.at(-1);
    if (previous && previous.role === turn.role) previous.content.push(...turn.content);
    else turns.push(turn);
  }
  if (turns[0]?.role !== 'user') turns.unshift({ role: 'user', content: [] });
  return turns.map(finishTurn);
}

function toClaudeTurn(message: OpenAiChatMessage): ClaudeRequestMessage | null {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: userBlocks(message.content) };
    case 'assistant':
      return { role: 'assistant', content: assistantBlocks(message) };
    case 'tool':
      return { role: 'user', content: [toolResultBlock(message)] };
    case 'system':
    case 'developer':
      return null;
  }
}

/** Empty turns get placeholder text; tool results go first in a user turn, as Anthropic requires. */
function finishTurn(turn: ClaudeRequestMessage): ClaudeRequestMessage {
  if (turn.content.length === 0) return { role: turn.role, content: [{ type: 'text', text: PLACEHOLDER_TEXT }] };
  if (turn.role === 'assistant') return turn;
  const toolResults = turn.content.filter((block) => block.type === 'tool_result');
  const others = turn.content.filter((block) => block.type !== 'tool_result');
  return { role: 'user', content: [...toolResults, ...others] };
}

function textBlocks(text: string): ClaudeRequestBlock[] {
  // Anthropic rejects empty and whitespace-only text blocks.
  return text.trim() === '' ? [] : [{ type: 'text', text }];
}

function userBlocks(content: OpenAiChatMessage['content']): ClaudeRequestBlock[] {
  if (!Array.isArray(content)) return textBlocks(typeof content === 'string' ? content : '');
  return content.flatMap(partBlocks);
}

/** One OpenAI content part as Claude blocks; audio and non-PDF files have no Claude form and are dropped. */
function partBlocks(part: OpenAiContentPart): ClaudeRequestBlock[] {
  switch (part.type) {
    case 'text':
      return textBlocks(part.text);
    case 'image_url':
      return imageBlocks(part.image_url?.url);
    case 'file':
      return documentBlocks(part.file?.file_data);
    case 'input_audio':
      return [];
    default:
      // Part types newer than the pivot's (the request is not re-validated here).
      return [];
  }
}

function imageBlocks(url: string | undefined): ClaudeRequestBlock[] {
  if (typeof url !== 'string') return [];
  const dataUrl = parseDataUrl(url);
  if (dataUrl) return [{ type: 'image', source: { type: 'base64', media_type: dataUrl.mediaType, data: dataUrl.data } }];
  if (/^https?:\/\//i.test(url)) return [{ type: 'image', source: { type: 'url', url } }];
  return [];
}

function documentBlocks(fileData: string | undefined): ClaudeRequestBlock[] {
  const dataUrl = fileData ? parseDataUrl(fileData) : null;
  if (dataUrl?.mediaType !== 'application/pdf') return [];
  return [{ type: 'document', source: { type: 'base64', media_type: dataUrl.mediaType, data: dataUrl.data } }];
}

/**
 * Text, then tool_use blocks. `reasoning_content` is dropped: a thinking block sent back needs the
 * signature Anthropic issued with it, which OpenAI-format history does not keep.
 */
function assistantBlocks(message: OpenAiChatMessage): ClaudeRequestBlock[] {
  const blocks = textBlocks(contentText(message.content));
  for (const call of message.tool_calls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseToolInput(call.function.arguments) });
  }
  return blocks;
}

function toolResultBlock(message: OpenAiChatMessage): ClaudeToolResultBlock {
  const block: ClaudeToolResultBlock = { type: 'tool_result', tool_use_id: message.tool_call_id ?? '' };
  const text = contentText(message.content);
  if (text) block.content = text;
  return block;
}

function toStopSequences(stop: OpenAiChatRequest['stop']): string[] {
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : [];
  // Anthropic rejects whitespace-only stop sequences.
  return list.filter((sequence) => typeof sequence === 'string' && sequence.trim() !== '');
}

function addTools(body: ClaudeMessagesRequest, request: OpenAiChatRequest): void {
  const tools = (request.tools ?? []).filter((tool) => tool.type === 'function').map(toClaudeTool);
  if (tools.length === 0) return;
  body.tools = tools;
  const choice = toClaudeToolChoice(request.tool_choice, request.parallel_tool_calls === false);
  if (choice) body.tool_choice = choice;
}

function toClaudeTool(tool: OpenAiFunctionTool): ClaudeTool {
  const converted: ClaudeTool = {
    name: tool.function.name,
    input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
  };
  if (tool.function.description) converted.description = tool.function.description;
  return converted;
}

function toClaudeToolChoice(choice: OpenAiToolChoice | undefined, noParallelCalls: boolean): ClaudeToolChoice | null {
  if (choice === 'none') return { type: 'none' };
  const parallel = noParallelCalls ? { disable_parallel_tool_use: true } : {};
  if (choice === 'required') return { type: 'any', ...parallel };
  if (typeof choice === 'object' && choice !== null && choice.type === 'function') {
    return { type: 'tool', name: choice.function.name, ...parallel };
  }
  if (choice === 'auto' || noParallelCalls) return { type: 'auto', ...parallel };
  return null;
}

/**
 * Extended thinking (§2.2): budget = max_tokens × ratio, with max_tokens ≥ 1280 and
 * 1024 ≤ budget < max_tokens; Anthropic then requires temperature 1 and no top_p/top_k.
 */
function enableThinking(body: ClaudeMessagesRequest, ratio: number | undefined): void {
  const usableRatio = typeof ratio === 'number' && ratio > 0 && ratio <= 1 ? ratio : DEFAULT_THINKING_BUDGET_RATIO;
  body.max_tokens = Math.max(body.max_tokens, MIN_MAX_TOKENS_WITH_THINKING);
  const budget = Math.floor(body.max_tokens * usableRatio);
  body.thinking = { type: 'enabled', budget_tokens: Math.min(Math.max(budget, MIN_THINKING_BUDGET), body.max_tokens - 1) };
  body.temperature = 1;
  delete body.top_p;
  delete body.top_k;
}
