import { EventStreamCodec, type MessageHeaders } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { AwsEventStreamReader } from './aws-event-stream';
import type { SseEvent } from './sse';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(headers: Record<string, string>, body: string): Buffer {
  const tagged: MessageHeaders = {};
  for (const [name, value] of Object.entries(headers)) tagged[name] = { type: 'string', value };
  return Buffer.from(codec.encode({ headers: tagged, body: fromUtf8(body) }));
}

/** A Bedrock `chunk` event carrying one Claude stream event, base64-wrapped as Bedrock sends it. */
function chunkFrame(claudeEvent: Record<string, unknown>): Buffer {
  const bytes = Buffer.from(JSON.stringify(claudeEvent)).toString('base64');
  return frame({ ':message-type': 'event', ':event-type': 'chunk', ':content-type': 'application/json' }, JSON.stringify({ bytes, p: 'abcdef' }));
}

function read(chunks: Buffer[]): SseEvent[] {
  const events: SseEvent[] = [];
  const reader = new AwsEventStreamReader((event) => events.push(event));
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return events;
}

describe('AwsEventStreamReader', () => {
  const start = { type: 'message_start', message: { id: 'msg_1', usage: { input_tokens: 3, output_tokens: 1 } } };
  const delta = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'héllo ✓' } };

  it('decodes chunk events into the Claude event JSON, named by its type', () => {
    const events = read([Buffer.concat([chunkFrame(start), chunkFrame(delta)])]);
    expect(events).toEqual([
      { event: 'message_start', data: JSON.stringify(start) },
      { event: 'content_block_delta', data: JSON.stringify(delta) },
    ]);
  });

  it('reassembles frames split at every byte boundary', () => {
    const bytes = Buffer.concat([chunkFrame(start), chunkFrame(delta)]);
    const oneByteChunks = [...bytes].map((byte) => Buffer.from([byte]));
    expect(read(oneByteChunks).map((event) => JSON.parse(event.data) as unknown)).toEqual([start, delta]);
  });

  it('turns an exception message into an Anthropic-style error event', () => {
    const exception = frame(
      { ':message-type': 'exception', ':exception-type': 'throttlingException', ':content-type': 'application/json' },
      JSON.stringify({ message: 'Too many requests, please wait before trying again.' }),
    );
    const [event] = read([chunkFrame(start), exception]).slice(1);
    expect(event.event).toBe('error');
    expect(JSON.parse(event.data)).toEqual({
      type: 'error',
      error: { type: 'throttlingException', message: 'Too many requests, please wait before trying again.' },
    });
  });

  it('turns an error message (code and message in headers) into an error event', () => {
    const error = frame({ ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'boom' }, '');
    expect(JSON.parse(read([error])[0].data)).toEqual({ type: 'error', error: { type: 'InternalFailure', message: 'boom' } });
  });

  it('skips events that are not chunks and chunks without bytes', () => {
    const other = frame({ ':message-type': 'event', ':event-type': 'initial-response' }, '{}');
    const empty = frame({ ':message-type': 'event', ':event-type': 'chunk' }, '{"p":"x"}');
    expect(read([other, empty, chunkFrame(delta)])).toEqual([{ event: 'content_block_delta', data: JSON.stringify(delta) }]);
  });

  it('throws on a corrupt frame (CRC mismatch)', () => {
    const bytes = chunkFrame(delta);
    bytes[bytes.length - 10] ^= 0xff;
    const reader = new AwsEventStreamReader(() => undefined);
    expect(() => reader.push(bytes)).toThrow();
  });

  it('throws on an impossible length prefix instead of waiting forever', () => {
    const reader = new AwsEventStreamReader(() => undefined);
    expect(() => reader.push(Buffer.from([0, 0, 0, 4, 1, 2, 3, 4]))).toThrow(/impossible length/);
  });

  it('reports a stream cut off inside a message at end()', () => {
    const bytes = chunkFrame(delta);
    const events: SseEvent[] = [];
    const reader = new AwsEventStreamReader((event) => events.push(event));
    reader.push(bytes.subarray(0, bytes.length - 3));
    expect(events).toEqual([]);
    expect(() => reader.end()).toThrow(/ended inside a message/);
  });
});
