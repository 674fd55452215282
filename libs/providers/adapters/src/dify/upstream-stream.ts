import type { ChatStreamConverter, SseEvent, Usage, UpstreamContext } from '@your-api/providers-core';
import { OpenAiChunkEmitter, streamErrorPayload } from '../chat-pivot/chunk-emitter';
import { objectField, parseJsonObject, stringField, type JsonObject } from '../chat-pivot/json-fields';
import { replaceThinkingMarkerChunk } from './thinking-markers';
import { usageFromDifyMetadata } from './usage';

/**
 * Dify's chat stream (data-only SSE; the JSON's `event` names it) → OpenAI chunk payloads.
 * `message`/`agent_message` answers are the content; `message_end` brings the usage and ends the
 * reply; `error` becomes an OpenAI error payload.
 *
 * With DIFY_DEBUG, workflow, node and agent-thought events become one line each of
 * `reasoning_content`. New API streams them as reasoning too; keeping them out of `content` means
 * the answer a client stores or shows stays the app's answer, and reasoning-aware clients can still
 * show the trace (the channel's "thinking to content" setting folds it into the text if wanted).
 */
export class DifyChatStreamConverter implements ChatStreamConverter {
  private readonly emitter: OpenAiChunkEmitter;
  private readonly debug: boolean;
  private usage: Usage | null = null;
  private failed = false;
  private done = false;

  constructor(ctx: UpstreamContext) {
    this.emitter = new OpenAiChunkEmitter(ctx.upstreamModel);
    this.debug = ctx.settings.difyDebug === true;
  }

  onEvent(event: SseEvent): string[] {
    if (this.done) return [];
    const data = parseJsonObject(event.data);
    if (!data) return []; // `event: ping` keep-alives carry no data
    this.emitter.useId(stringField(data, 'message_id'));
    const name = stringField(data, 'event') || event.event || '';
    switch (name) {
      case 'message':
      case 'agent_message':
        return this.emitter.text('content', replaceThinkingMarkerChunk(stringField(data, 'answer')));
      case 'message_end':
        this.usage = usageFromDifyMetadata(data.metadata);
        return [...this.emitter.finish('stop'), ...this.close()];
      case 'error':
        this.failed = true;
        return [streamErrorPayload(stringField(data, 'message'), 'dify_error', stringField(data, 'code')), ...this.close()];
      case 'workflow_started':
      case 'workflow_finished':
      case 'node_started':
      case 'node_finished':
      case 'agent_thought':
        return this.debug ? this.emitter.text('reasoning_content', traceLine(name, data)) : [];
      default:
        // ping, message_file, message_replace (output moderation: an OpenAI stream cannot take back
        // what was sent), tts_message and events newer than this code carry nothing for OpenAI.
        return [];
    }
  }

  end(): string[] {
    if (this.done) return [];
    // Ended without message_end: close the reply the client has started reading.
    const finish = this.emitter.hasStarted && !this.failed ? this.emitter.finish('stop') : [];
    return [...finish, ...this.close()];
  }

  /** The usage chunk (when Dify counted anything) and [DONE], once. */
  private close(): string[] {
    this.done = true;
    return this.usage ? [this.emitter.usage(this.usage), '[DONE]'] : ['[DONE]'];
  }
}

/** One debug line: "Workflow: <id>", "Node: <type> <title>", with the status when finished (New API's wording). */
function traceLine(name: string, event: JsonObject): string {
  const data = objectField(event, 'data');
  const status = name.endsWith('_finished') ? stringField(data, 'status') : '';
  const parts: string[] = [];
  if (name.startsWith('workflow_')) parts.push('Workflow:', stringField(data, 'workflow_id'));
  else if (name.startsWith('node_')) parts.push('Node:', stringField(data, 'node_type'), stringField(data, 'title'));
  else parts.push('Agent thought:', stringField(event, 'thought'), stringField(event, 'tool') && `[${stringField(event, 'tool')}]`);
  parts.push(status);
  const line = parts.filter((part) => part !== '').join(' ');
  return line.includes(' ') ? `${line}\n` : '';
}
