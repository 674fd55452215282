import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type SseEvent = EventSourceMessage;

/**
 * Reads an SSE byte stream event by event without holding it: feed chunks as they arrive and
 * `onEvent` fires for each complete event (multi-byte characters split across chunks are safe).
 */
export class SseReader {
  private readonly decoder = new TextDecoder();
  private readonly parser;

  constructor(onEvent: (event: SseEvent) => void) {
    this.parser = createParser({ onEvent });
  }

  push(chunk: Uint8Array): void {
    this.parser.feed(this.decoder.decode(chunk, { stream: true }));
  }

  end(): void {
    const rest = this.decoder.decode();
    if (rest) this.parser.feed(rest);
    // A final event without its blank line still counts.
    this.parser.feed('\n\n');
  }
}

/** Serialises one SSE `data:` frame as OpenAI streams them (no `event:` line). */
export function sseData(data: string): string {
  return `data: ${data}\n\n`;
}
