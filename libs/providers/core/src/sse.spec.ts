import { SseReader } from './sse';

describe('SseReader', () => {
  it('emits events split across chunks, including split UTF-8 characters', () => {
    const events: string[] = [];
    const reader = new SseReader((event) => events.push(event.data));
    const bytes = Buffer.from('data: {"a":"é"}\n\ndata: [DONE]\n\n');
    const split = bytes.indexOf(0xc3) + 1; // inside the two-byte "é"
    reader.push(bytes.subarray(0, 5));
    reader.push(bytes.subarray(5, split));
    reader.push(bytes.subarray(split));
    reader.end();
    expect(events).toEqual(['{"a":"é"}', '[DONE]']);
  });

  it('handles CRLF separators and named events', () => {
    const seen: [string | undefined, string][] = [];
    const reader = new SseReader((event) => seen.push([event.event, event.data]));
    reader.push(Buffer.from('event: ping\r\ndata: {}\r\n\r\ndata: x\r\n\r\n'));
    reader.end();
    expect(seen).toEqual([
      ['ping', '{}'],
      [undefined, 'x'],
    ]);
  });

  it('flushes a final event that lacks its blank line', () => {
    const events: string[] = [];
    const reader = new SseReader((event) => events.push(event.data));
    reader.push(Buffer.from('data: last'));
    reader.end();
    expect(events).toEqual(['last']);
  });
});
