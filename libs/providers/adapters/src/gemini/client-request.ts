import {
  ClientRequestError,
  type OpenAiChatMessage,
  type OpenAiChatRequest,
  type OpenAiContentPart,
  type OpenAiToolCall,
} from '@your-api/providers-core';
import { expectNonEmptyArray, expectObject, field, optionalString, type JsonObject } from './client-fields';
import { generationFieldsFromGemini, toolChoiceFromGemini, toolsFromGemini } from './client-options';
import { readClientPart, type ClientPart } from './client-parts';
import { isRecord } from './json-values';

/**
 * Pairs Gemini function responses with their calls. Gemini matches them by name (ids are
 * optional there); OpenAI needs an id on both sides, so calls without one get `call_<n>` and a
 * response takes the most recent still-unanswered call of its name.
 */
class FunctionCallLedger {
  private issued = 0;
  private readonly unanswered: { id: string; name: string }[] = [];

  open(name: string, id: string | undefined): string {
    const callId = id ?? `call_${++this.issued}`;
    this.unanswered.push({ id: callId, name });
    return callId;
  }

  /** The id the response answers, or null when no open call matches it. */
  answer(name: string, id: string | undefined): string | null {
    let position = id === undefined ? -1 : this.unanswered.findIndex((call) => call.id === id);
    if (position < 0) position = this.unanswered.map((call) => call.name).lastIndexOf(name);
    if (position < 0) return null;
    const [call] = this.unanswered.splice(position, 1);
    return call.id;
  }
}

function readParts(turn: JsonObject, param: string): ClientPart[] {
  return expectNonEmptyArray(turn.parts, `${param}.parts`).map((part, j) => readClientPart(part, `${param}.parts[${j}]`));
}

function assistantMessage(parts: ClientPart[], ledger: FunctionCallLedger): OpenAiChatMessage | null {
  let text = '';
  const toolCalls: OpenAiToolCall[] = [];
  for (const part of parts) {
    if (part.kind === 'text') text += part.text;
    if (part.kind === 'functionCall') {
      const id = ledger.open(part.name, part.id);
      toolCalls.push({ id, type: 'function', function: { name: part.name, arguments: JSON.stringify(part.args) } });
    }
  }
  if (toolCalls.length > 0) return { role: 'assistant', content: text || null, tool_calls: toolCalls };
  return text ? { role: 'assistant', content: text } : null;
}

function toolMessage(part: Extract<ClientPart, { kind: 'functionResponse' }>, ledger: FunctionCallLedger, param: string): OpenAiChatMessage {
  const callId = ledger.answer(part.name, part.id);
  if (callId === null) throw new ClientRequestError(`functionResponse "${part.name}" answers no earlier functionCall`, param);
  return { role: 'tool', tool_call_id: callId, content: JSON.stringify(part.response) };
}

function userContent(parts: OpenAiContentPart[]): OpenAiChatMessage['content'] {
  const [only] = parts;
  return parts.length === 1 && only.type === 'text' ? only.text : parts;
}

/** A user (or `function`) turn: tool messages for its function responses first, then the rest as one user message. */
function userMessages(parts: ClientPart[], ledger: FunctionCallLedger, param: string): OpenAiChatMessage[] {
  const messages: OpenAiChatMessage[] = [];
  const content: OpenAiContentPart[] = [];
  parts.forEach((part, j) => {
    if (part.kind === 'functionResponse') messages.push(toolMessage(part, ledger, `${param}.parts[${j}].functionResponse`));
    else if (part.kind === 'text') content.push({ type: 'text', text: part.text });
    else if (part.kind === 'media') content.push(part.part);
    else if (part.kind === 'functionCall') throw new ClientRequestError('functionCall parts belong in model turns', `${param}.parts[${j}]`);
  });
  if (content.length > 0) messages.push({ role: 'user', content: userContent(content) });
  return messages;
}

function messagesOfTurn(value: unknown, param: string, ledger: FunctionCallLedger): OpenAiChatMessage[] {
  const turn = expectObject(value, param);
  const role = optionalString(turn.role, `${param}.role`) ?? 'user';
  if (role !== 'user' && role !== 'model' && role !== 'function') {
    throw new ClientRequestError(`${param}.role must be "user", "model" or "function"`, `${param}.role`);
  }
  const parts = readParts(turn, param);
  if (role !== 'model') return userMessages(parts, ledger, param);
  const message = assistantMessage(parts, ledger);
  return message ? [message] : [];
}

/** `systemInstruction` (a Content, or a bare string as some SDKs send) as one system message. */
function systemMessage(value: unknown): OpenAiChatMessage | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value ? { role: 'system', content: value } : null;
  const instruction = expectObject(value, 'systemInstruction');
  const text = readParts(instruction, 'systemInstruction')
    .map((part) => (part.kind === 'text' ? part.text : ''))
    .filter((partText) => partText !== '')
    .join('\n');
  return text ? { role: 'system', content: text } : null;
}

function modelName(pathModel: string | undefined): string {
  const model = (pathModel ?? '').replace(/^models\//, '');
  if (!model) throw new ClientRequestError('the model is missing from the path', 'model');
  return model;
}

/** A Gemini generateContent body (camelCase or snake_case) as an OpenAI chat request. */
export function geminiRequestToOpenAi(body: unknown, route: { pathModel?: string; pathStream?: boolean }): OpenAiChatRequest {
  if (!isRecord(body)) throw new ClientRequestError('the request body must be a JSON object');
  const request = body;
  const ledger = new FunctionCallLedger();
  const system = systemMessage(field(request, 'systemInstruction'));
  const turns = expectNonEmptyArray(request.contents, 'contents');
  const messages = turns.flatMap((turn, i) => messagesOfTurn(turn, `contents[${i}]`, ledger));
  const openAi: OpenAiChatRequest = {
    model: modelName(route.pathModel),
    messages: system ? [system, ...messages] : messages,
    ...generationFieldsFromGemini(field(request, 'generationConfig')),
  };
  const tools = toolsFromGemini(request.tools);
  if (tools) openAi.tools = tools;
  const toolChoice = toolChoiceFromGemini(field(request, 'toolConfig'));
  if (toolChoice) openAi.tool_choice = toolChoice;
  if (route.pathStream) {
    openAi.stream = true;
    openAi.stream_options = { include_usage: true };
  }
  return openAi;
}
