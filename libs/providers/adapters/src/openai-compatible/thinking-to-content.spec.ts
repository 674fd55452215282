import { foldThinkingIntoContent, ThinkingToContentStream } from './thinking-to-content';

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => JSON.stringify({ id: 'c', choices: [{ index: 0, delta, finish_reason: finish }] });
const contentOf = (payload: string) => (JSON.parse(payload) as { choices: { delta: { content?: string; reasoning_content?: string } }[] }).choices[0].delta;

describe('thinking to content', () => {
  it('wraps streamed reasoning in <think> and closes it before the answer', () => {
    const stream = new ThinkingToContentStream();
    const out = [
      stream.transform(chunk({ role: 'assistant', content: '' })),
      stream.transform(chunk({ reasoning_content: 'Let me ' })),
      stream.transform(chunk({ reasoning_content: 'think.' })),
      stream.transform(chunk({ content: 'Answer' })),
      stream.transform(chunk({ content: '!' })),
      stream.transform('[DONE]'),
    ];
    const text = out.slice(0, 5).map((p) => contentOf(p).content ?? '').join('');
    expect(text).toBe('<think>\nLet me think.\n</think>\n\nAnswer!');
    expect(out.slice(0, 5).some((p) => contentOf(p).reasoning_content !== undefined)).toBe(false);
    expect(out[5]).toBe('[DONE]');
  });
  it('closes the tag at the finish chunk when no answer follows, and leaves plain streams untouched', () => {
    const stream = new ThinkingToContentStream();
    stream.transform(chunk({ reasoning_content: 'only thoughts' }));
    expect(contentOf(stream.transform(chunk({}, 'stop'))).content).toBe('\n</think>\n\n');
    const plain = chunk({ content: 'hi' });
    expect(new ThinkingToContentStream().transform(plain)).toBe(plain);
  });
  it('folds a non-stream reply', () => {
    const folded = foldThinkingIntoContent({ choices: [{ message: { role: 'assistant', content: 'A', reasoning_content: 'R' } }] }) as {
      choices: { message: Record<string, unknown> }[];
    };
    expect(folded.choices[0].message).toEqual({ role: 'assistant', content: '<think>\nR\n</think>\n\nA' });
  });
});
