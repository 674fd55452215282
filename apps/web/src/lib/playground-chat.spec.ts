import { playgroundBody } from './api-client';

describe('playgroundBody', () => {
  it('adds group, top_p and max_tokens only when set', () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    expect(playgroundBody({ model: 'gpt-4o', group: '', messages, stream: true })).toEqual({ model: 'gpt-4o', messages, stream: true });
    expect(playgroundBody({ model: 'gpt-4o', group: 'vip', messages, stream: false, temperature: 0, topP: 0.9, maxTokens: 64 })).toEqual({
      model: 'gpt-4o',
      group: 'vip',
      messages,
      stream: false,
      temperature: 0,
      top_p: 0.9,
      max_tokens: 64,
    });
  });
});
