import { ChatStreamConverter, SseEvent, Usage, usageFromOpenAi, usageToOpenAi } from '@your-api/providers-core';
import type { OpenAiEndpoint } from './endpoints';

/** What the relay needs from a reply of an endpoint other than chat/completions/embeddings. */
export interface EndpointReplySummary {
  usage: Usage | null;
  /** The upstream produced something (an empty reply may be retried elsewhere). */
  hasContent: boolean;
  /** Generated text, for local counting when there is no usage. */
  text: string;
  /** Length of transcribed audio, when the upstream reports it (billed at 1000 tokens a minute). */
  audioSeconds: number | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyArray = (value: unknown): boolean => Array.isArray(value) && value.length > 0;

/** Text of a Responses API `output` array (assistant messages' output_text parts). */
function responsesOutputText(output: unknown): string {
  if (!Array.isArray(output)) return '';
  let text = '';
  for (const item of output) {
    if (!isObject(item) || !Array.isArray(item.content)) continue;
    for (const part of item.content) if (isObject(part) && typeof part.text === 'string') text += part.text;
  }
  return text;
}

/** Usage of a reply that may only state a total (Jina rerank: `{total_tokens}`). */
function usageOf(json: unknown): Usage | null {
  const usage = usageFromOpenAi(json);
  if (!usage) return null;
  if (usage.promptTokens === 0 && usage.completionTokens === 0 && usage.totalTokens > 0) usage.promptTokens = usage.totalTokens;
  return usage;
}

/** Reads usage and content of a (parsed JSON) reply of one of the non-chat endpoints. */
export function summariseEndpointReply(endpoint: OpenAiEndpoint, json: unknown): EndpointReplySummary {
  const body = isObject(json) ? json : {};
  const summary: EndpointReplySummary = { usage: null, hasContent: false, text: '', audioSeconds: null };
  switch (endpoint) {
    case 'responses':
      summary.usage = usageOf(body.usage);
      summary.hasContent = nonEmptyArray(body.output);
      summary.text = responsesOutputText(body.output);
      break;
    case 'images/generations':
    case 'images/edits':
      summary.usage = usageOf(body.usage);
      summary.hasContent = nonEmptyArray(body.data);
      break;
    case 'moderations':
      summary.hasContent = nonEmptyArray(body.results);
      break;
    case 'rerank':
      summary.usage = usageOf(body.usage);
      summary.hasContent = nonEmptyArray(body.results);
      break;
    case 'audio/transcriptions':
    case 'audio/translations': {
      summary.text = typeof body.text === 'string' ? body.text : '';
      summary.hasContent = true;
      const usage = isObject(body.usage) ? body.usage : null;
      if (usage?.type === 'duration' && typeof usage.seconds === 'number') summary.audioSeconds = usage.seconds;
      else if (usage) summary.usage = usageOf(usage);
      if (summary.audioSeconds === null && typeof body.duration === 'number') summary.audioSeconds = body.duration;
      break;
    }
    default:
      summary.usage = usageOf(body.usage);
      summary.hasContent = true;
  }
  return summary;
}

/** Transcription without reported usage: 1000 tokens a minute of audio (New API: ceil(seconds) / 60 × 1000, rounded up). */
export function audioSecondsToTokens(seconds: number): number {
  return Math.ceil((Math.ceil(seconds) / 60) * 1000);
}

const chunk = (delta: Record<string, unknown>): string => JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] });

/**
 * Reads a Responses API event stream for the relay's stream observer: content deltas become chat
 * chunks (so an empty reply is recognised and text can be counted), the terminal event's usage a
 * usage chunk. The client gets the upstream's own frames; these payloads are only observed.
 */
export class ResponsesStreamReader implements ChatStreamConverter {
  private finished = false;

  onEvent(event: SseEvent): string[] {
    let data: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(event.data);
      if (!isObject(parsed)) return [];
      data = parsed;
    } catch {
      return [];
    }
    const type = typeof data.type === 'string' ? data.type : (event.event ?? '');
    const delta = typeof data.delta === 'string' ? data.delta : '';
    switch (type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return delta ? [chunk({ content: delta })] : [];
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return delta ? [chunk({ reasoning_content: delta })] : [];
      case 'response.function_call_arguments.delta':
      case 'response.output_item.added':
      case 'response.image_generation_call.partial_image':
      case 'response.audio.delta':
        // Not text to count, but proof that the reply is not empty.
        return [chunk({ tool_calls: [{ index: 0, function: { arguments: '' } }] })];
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        const response = isObject(data.response) ? data.response : {};
        const usage = usageOf(response.usage);
        this.finished = true;
        const payloads = usage ? [JSON.stringify({ object: 'chat.completion.chunk', choices: [], usage: usageToOpenAi(usage) })] : [];
        return [...payloads, '[DONE]'];
      }
      case 'error':
        return [JSON.stringify({ error: { message: typeof data.message === 'string' ? data.message : 'upstream error', type: String(data.code ?? '') } })];
      default:
        return [];
    }
  }

  end(): string[] {
    if (this.finished) return [];
    this.finished = true;
    return ['[DONE]'];
  }
}
