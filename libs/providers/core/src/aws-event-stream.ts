import { EventStreamCodec, type Message } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { SseEvent } from './sse';

/** Every event-stream message starts with its total length as a big-endian uint32. */
const TOTAL_LENGTH_BYTES = 4;
/** Prelude (12 bytes) plus message CRC (4): the smallest valid message. */
const MIN_MESSAGE_BYTES = 16;
/** AWS caps one event-stream message at 16 MiB; anything larger is a corrupt length. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Reads an AWS event stream (`application/vnd.amazon.eventstream`, Bedrock's
 * InvokeModelWithResponseStream) as SSE-like events, so stream converters written for SSE read it
 * unchanged: feed chunks as they arrive and `onEvent` fires once per complete message.
 *
 * - A `chunk` event's payload `{"bytes":"<base64>"}` is decoded: `data` is the JSON text inside,
 *   `event` that JSON's `type` (for Claude: message_start, content_block_delta, …).
 * - An exception (throttling, model stream error, …) becomes an Anthropic-style `error` event:
 *   `{"type":"error","error":{"type":<exception type>,"message":…}}`.
 * - Other events (none carry content today) are skipped.
 *
 * Frames are cut by their length prefix; the codec checks both CRCs and throws on a corrupt frame.
 */
export class AwsEventStreamReader {
  private readonly codec = new EventStreamCodec(toUtf8, fromUtf8);
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(chunk: Uint8Array): void {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= TOTAL_LENGTH_BYTES) {
      const total = this.pending.readUInt32BE(0);
      if (total < MIN_MESSAGE_BYTES || total > MAX_MESSAGE_BYTES) {
        throw new Error(`AWS event stream message has an impossible length (${total} bytes)`);
      }
      if (this.pending.length < total) return;
      const frame = this.pending.subarray(0, total);
      this.pending = this.pending.subarray(total);
      this.emit(this.codec.decode(frame));
    }
  }

  /** The upstream closed: a partial message left over means the stream was cut off. */
  end(): void {
    if (this.pending.length > 0) throw new Error('AWS event stream ended inside a message');
  }

  private emit(message: Message): void {
    const messageType = headerText(message, ':message-type');
    if (messageType === 'exception') {
      const body = parseJsonObject(toUtf8(message.body));
      const text = body?.message ?? body?.Message;
      this.onError(headerText(message, ':exception-type') || 'exception', typeof text === 'string' ? text : '');
      return;
    }
    if (messageType === 'error') {
      this.onError(headerText(message, ':error-code') || 'error', headerText(message, ':error-message'));
      return;
    }
    if (headerText(message, ':event-type') !== 'chunk') return;
    const payload = parseJsonObject(toUtf8(message.body));
    if (typeof payload?.bytes !== 'string') return;
    const data = Buffer.from(payload.bytes, 'base64').toString('utf8');
    const type = parseJsonObject(data)?.type;
    this.onEvent({ event: typeof type === 'string' ? type : undefined, data });
  }

  private onError(type: string, message: string): void {
    this.onEvent({ event: 'error', data: JSON.stringify({ type: 'error', error: { type, message: message || `upstream ${type}` } }) });
  }
}

function headerText(message: Message, name: string): string {
  const header = message.headers[name];
  return header?.type === 'string' ? header.value : '';
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
