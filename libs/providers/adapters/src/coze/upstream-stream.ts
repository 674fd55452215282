import type { ChatStreamConverter, SseEvent, Usage, UpstreamContext } from '@your-api/providers-core';
import { OpenAiChunkEmitter, streamErrorPayload } from '../chat-pivot/chunk-emitter';
import { objectField, parseJsonObject, stringField, type JsonObject } from '../chat-pivot/json-fields';
import { usageFromCoze } from './usage';

/**
 * Coze v3's named-event stream → OpenAI chunk payloads. `conversation.message.delta` of the
 * `answer` type is the content (and its reasoning_content the reasoning); other message types
 * (function calls, tool output, verbose, follow-up suggestions) are the bot's internals and are not
 * sent. `conversation.chat.completed` ends the reply with its usage; `conversation.chat.failed`
 * and `error` become OpenAI error payloads; `done` ends the stream.
 */
export class CozeChatStreamConverter implements ChatStreamConverter {
  private readonly emitter: OpenAiChunkEmitter;
  private usage: Usage | null = null;
  private failed = false;
  private done = false;

  constructor(ctx: UpstreamContext) {
    this.emitter = new OpenAiChunkEmitter(ctx.upstreamModel);
  }

  onEvent(event: SseEvent): string[] {
    if (this.done) return [];
    if (event.event === 'done') return this.close();
    const data = parseJsonObject(event.data);
    if (!data) return [];
    switch (event.event ?? '') {
      case 'conversation.chat.created':
        this.emitter.useId(stringField(data, 'id'));
        return [];
      case 'conversation.message.delta':
        return this.onMessageDelta(data);
      case 'conversation.chat.completed':
        this.usage = usageFromCoze(data.usage) ?? this.usage;
        return this.emitter.finish('stop');
      case 'conversation.chat.failed':
        return this.fail(objectField(data, 'last_error'));
      case 'conversation.chat.requires_action':
        // The bot waits for a client-side plugin's result, which an OpenAI client cannot send.
        return this.fail({ msg: 'The Coze bot asked for a client-side plugin result, which the gateway cannot provide' });
      case 'error':
        return this.fail(data);
      default:
        // chat.in_progress, message.completed (a repeat of the deltas), audio and unknown events.
        return [];
    }
  }

  end(): string[] {
    if (this.done) return [];
    // Ended without chat.completed: close the reply the client has started reading.
    const finish = this.emitter.hasStarted && !this.failed ? this.emitter.finish('stop') : [];
    return [...finish, ...this.close()];
  }

  private onMessageDelta(data: JsonObject): string[] {
    const type = stringField(data, 'type');
    const role = stringField(data, 'role');
    if ((type && type !== 'answer') || (role && role !== 'assistant')) return [];
    return [...this.emitter.text('reasoning_content', stringField(data, 'reasoning_content')), ...this.emitter.text('content', stringField(data, 'content'))];
  }

  /** Coze's `{code, msg}` as an OpenAI error payload, once; no finish is invented afterwards. */
  private fail(error: JsonObject): string[] {
    if (this.failed) return [];
    this.failed = true;
    const code = error.code;
    const codeText = typeof code === 'number' || typeof code === 'string' ? String(code) : '';
    return [streamErrorPayload(stringField(error, 'msg') || stringField(error, 'message') || 'Coze chat failed', 'coze_error', codeText)];
  }

  /** The usage chunk (when Coze counted anything) and [DONE], once. */
  private close(): string[] {
    this.done = true;
    return this.usage ? [this.emitter.usage(this.usage), '[DONE]'] : ['[DONE]'];
  }
}
