import { isRelayPath } from './relay-paths';

describe('isRelayPath', () => {
  it('matches the relay routes, with or without a query', () => {
    for (const url of ['/v1/chat/completions', '/v1/models?x=1', '/v1beta/models/gemini:generateContent', '/mj/submit/imagine', '/suno/submit/music', '/dashboard/billing/usage', '/v1/dashboard/billing/subscription']) {
      expect(isRelayPath(url)).toBe(true);
    }
  });

  it('leaves the management API, the session-authenticated playground and the docs alone', () => {
    for (const url of ['/pg/chat/completions', '/api/user/login', '/api/token/', '/api/docs', '/v1', '/v10/chat', '/', '/api/v1/x']) {
      expect(isRelayPath(url)).toBe(false);
    }
  });
});
