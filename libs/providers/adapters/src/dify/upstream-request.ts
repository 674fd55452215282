import { contentText, type OpenAiChatMessage, type OpenAiChatRequest, type UpstreamContext, type UpstreamTarget } from '@your-api/providers-core';
import type { DifyChatRequest, DifyFile } from './wire-types';

const DEFAULT_BASE_URL = 'https://api.dify.ai';
/** Dify requires an end-user id; requests without `user` share this one. */
export const DIFY_DEFAULT_USER = 'your-api';

const ROLE_LABELS: Readonly<Record<OpenAiChatMessage['role'], string>> = {
  system: 'SYSTEM',
  developer: 'SYSTEM',
  user: 'USER',
  assistant: 'ASSISTANT',
  tool: 'TOOL',
};

/** `<base>/v1/chat-messages`, tolerating a trailing slash or a base that already ends in `/v1`. */
export function difyChatUrl(baseUrl: string): string {
  const base = (baseUrl.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}/chat-messages` : `${base}/v1/chat-messages`;
}

export function difyRequestHeaders(ctx: UpstreamContext): Record<string, string> {
  return {
    authorization: `Bearer ${ctx.apiKey}`,
    'content-type': 'application/json',
    accept: ctx.stream ? 'text/event-stream' : 'application/json',
  };
}

/**
 * The query Dify answers. A chat app takes one question per call and keeps history in its own
 * conversations, which the gateway does not use; so, as New API does, a conversation is folded
 * into the query as a transcript ("SYSTEM: \n…\nUSER: \n…\n"). A lone user message goes as it is,
 * so the app's retrieval and prompts see the plain question.
 */
export function difyQuery(messages: readonly OpenAiChatMessage[]): string {
  if (messages.length === 1 && messages[0].role === 'user') return contentText(messages[0].content);
  return messages.map((message) => `${ROLE_LABELS[message.role] ?? 'USER'}: \n${contentText(message.content)}\n`).join('');
}

/**
 * Image URLs of user messages as Dify files. Data URLs would need an upload to `/v1/files/upload`
 * first (New API does that call); a pure adapter makes no calls, so they are left out.
 */
function difyFiles(messages: readonly OpenAiChatMessage[]): DifyFile[] {
  const files: DifyFile[] = [];
  for (const message of messages) {
    if (message.role !== 'user' || !Array.isArray(message.content)) continue;
    for (const part of message.content) {
      const url = part.type === 'image_url' ? part.image_url?.url : undefined;
      if (typeof url === 'string' && /^https?:\/\//i.test(url)) files.push({ type: 'image', transfer_method: 'remote_url', url });
    }
  }
  return files;
}

/** An OpenAI chat request as a Dify chat-messages request body. */
export function toDifyChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): DifyChatRequest {
  const body: DifyChatRequest = {
    inputs: {},
    query: difyQuery(request.messages),
    response_mode: ctx.stream ? 'streaming' : 'blocking',
    user: typeof request.user === 'string' && request.user !== '' ? request.user : DIFY_DEFAULT_USER,
    auto_generate_name: false,
  };
  const files = difyFiles(request.messages);
  if (files.length > 0) body.files = files;
  return body;
}

export function buildDifyChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): UpstreamTarget {
  return { url: difyChatUrl(ctx.baseUrl), headers: difyRequestHeaders(ctx), body: JSON.stringify(toDifyChatRequest(request, ctx)) };
}
