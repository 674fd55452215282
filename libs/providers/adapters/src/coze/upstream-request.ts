import {
  contentText,
  type OpenAiChatMessage,
  type OpenAiChatRequest,
  type UpstreamContext,
  type UpstreamTarget,
} from '@your-api/providers-core';
import type { CozeChatRequest, CozeEnterMessage, CozeObjectPart, CozeWorkflowChatRequest } from './wire-types';

const DEFAULT_BASE_URL = 'https://api.coze.cn';
/** Coze requires a user id; requests without `user` share this one. */
export const COZE_DEFAULT_USER = 'your-api';

/** `<base>/v3/chat`, tolerating a trailing slash or a base that already ends in `/v3`. */
export function cozeChatUrl(baseUrl: string): string {
  const base = (baseUrl.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
  return base.endsWith('/v3') ? `${base}/chat` : `${base}/v3/chat`;
}

/**
 * The bot to talk to: the channel's `other` field, where New API keeps it (`bot_id`); when that is
 * empty, the upstream model name, so one channel can serve several bots through model mapping.
 */
export function cozeBotId(ctx: UpstreamContext): string {
  return ctx.other.trim() || ctx.upstreamModel;
}

export function cozeRequestHeaders(ctx: UpstreamContext): Record<string, string> {
  return { authorization: `Bearer ${ctx.apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream' };
}

/** A user or assistant turn as a Coze message; images make it an `object_string` message. */
function toCozeMessage(message: OpenAiChatMessage): CozeEnterMessage[] {
  if (message.role !== 'user' && message.role !== 'assistant') return [];
  const type = message.role === 'user' ? 'question' : 'answer';
  const parts = message.role === 'user' && Array.isArray(message.content) ? objectParts(message.content) : [];
  if (parts.some((part) => part.type === 'image')) {
    return [{ role: message.role, type, content: JSON.stringify(parts), content_type: 'object_string' }];
  }
  const text = contentText(message.content);
  return text ? [{ role: message.role, type, content: text, content_type: 'text' }] : [];
}

/**
 * Text and image-URL parts in Coze's object_string form. Data URLs would need an upload to Coze's
 * file API first, which a pure adapter cannot make; they are left out.
 */
function objectParts(content: Exclude<OpenAiChatMessage['content'], string | null | undefined>): CozeObjectPart[] {
  return content.flatMap((part): CozeObjectPart[] => {
    if (part.type === 'text') return part.text ? [{ type: 'text', text: part.text }] : [];
    const url = part.type === 'image_url' ? part.image_url?.url : undefined;
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? [{ type: 'image', file_url: url }] : [];
  });
}

/**
 * An OpenAI chat request as a Coze v3 chat body. System and tool messages are left out: a Coze
 * bot has its own persona and plugins, and v3 takes only user and assistant turns (New API sends
 * only the user's). The upstream call always streams, whatever the client asked: Coze answers a
 * non-stream chat with an id to poll (`/v3/chat/retrieve`, then `/v3/chat/message/list`), which
 * the single-request adapter interface cannot do. A non-stream client's reply has to be folded
 * from the stream by the relay (see chatCompletionFromChunks).
 */
export function toCozeChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): CozeChatRequest {
  return {
    bot_id: cozeBotId(ctx),
    user_id: typeof request.user === 'string' && request.user !== '' ? request.user : COZE_DEFAULT_USER,
    additional_messages: request.messages.flatMap(toCozeMessage),
    stream: true,
  };
}

const WORKFLOW_PREFIX = 'workflow:';

/** A target of the form `workflow:<id>` (in `other`, or as the model name) names a Coze chatflow instead of a bot. */
export function cozeWorkflowId(ctx: UpstreamContext): string | null {
  const target = cozeBotId(ctx);
  return target.startsWith(WORKFLOW_PREFIX) ? target.slice(WORKFLOW_PREFIX.length).trim() || null : null;
}

/** `<base>/v1/workflows/chat`, tolerating a trailing slash or a base that ends in `/v3`. */
export function cozeWorkflowChatUrl(baseUrl: string): string {
  const base = (baseUrl.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/v3$/, '');
  return `${base}/v1/workflows/chat`;
}

/** A chatflow run: the chat turns as messages, start-node inputs from the request's `workflow_parameters`. */
export function toCozeWorkflowChatRequest(request: OpenAiChatRequest, workflowId: string): CozeWorkflowChatRequest {
  const parameters = request.workflow_parameters;
  return {
    workflow_id: workflowId,
    additional_messages: request.messages.flatMap(toCozeMessage),
    parameters: typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters) ? (parameters as Record<string, unknown>) : {},
    stream: true,
  };
}

export function buildCozeChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): UpstreamTarget {
  const workflowId = cozeWorkflowId(ctx);
  if (workflowId) {
    return { url: cozeWorkflowChatUrl(ctx.baseUrl), headers: cozeRequestHeaders(ctx), body: JSON.stringify(toCozeWorkflowChatRequest(request, workflowId)) };
  }
  return { url: cozeChatUrl(ctx.baseUrl), headers: cozeRequestHeaders(ctx), body: JSON.stringify(toCozeChatRequest(request, ctx)) };
}
