import { formatSseFrame, type ClientChatFormat, type OpenAiChatChunk, type Usage } from '@your-api/providers-core';
import { renderError } from '../../common/error-format';

/**
 * Turns the relay's OpenAI stream payloads into what the client reads, in the client's own
 * protocol: OpenAI clients get each payload as its own `data:` frame; Claude and Gemini clients
 * get their format's events, closed with the final usage once the relay has settled on it.
 */
export interface ClientStreamSink {
  /** Whether the client asked for OpenAI's usage-only chunk (the observer drops it otherwise). */
  readonly wantsUsageChunk: boolean;
  /** One OpenAI payload (chunk JSON or '[DONE]') → SSE text to write, one string per frame. */
  payload(data: string): string[];
  /** The stream ended with this usage: closing frames. */
  end(usage: Usage): string[];
  /** A failure after the stream started: an in-band error frame. */
  error(status: number, code: string, message: string): string[];
}

export function openAiStreamSink(wantsUsageChunk: boolean): ClientStreamSink {
  return {
    wantsUsageChunk,
    payload: (data) => [`data: ${data}\n\n`],
    end: () => [],
    error: (status, code, message) => [`data: ${JSON.stringify(renderError('openai', status, code, message))}\n\n`],
  };
}

export function formatStreamSink(format: ClientChatFormat, model: string, promptTokens: number): ClientStreamSink {
  const writer = format.createStreamWriter(model, promptTokens);
  return {
    wantsUsageChunk: false,
    payload(data) {
      if (data === '[DONE]') return [];
      let chunk: OpenAiChatChunk & { error?: { message?: unknown } };
      try {
        chunk = JSON.parse(data) as OpenAiChatChunk & { error?: { message?: unknown } };
      } catch {
        return [];
      }
      if (chunk.error) {
        const message = typeof chunk.error.message === 'string' ? chunk.error.message : 'The upstream reported an error';
        return writer.error(502, message).map(formatSseFrame);
      }
      return writer.onChunk(chunk).map(formatSseFrame);
    },
    end: (usage) => writer.end(usage).map(formatSseFrame),
    error: (status, _code, message) => writer.error(status, message).map(formatSseFrame),
  };
}
