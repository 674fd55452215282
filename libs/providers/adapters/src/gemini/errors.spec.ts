import { geminiClientFormat } from './client-format';
import { geminiErrorStatus } from './errors';
import { geminiUpstream } from './upstream';

describe('geminiUpstream.readError', () => {
  const apiKeyError = {
    error: {
      code: 400,
      message: 'API key not valid. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
    },
  };

  it('reads message, status and code', () => {
    expect(geminiUpstream.readError(apiKeyError)).toEqual({
      message: 'API key not valid. Please pass a valid API key.',
      type: 'INVALID_ARGUMENT',
      code: '400',
    });
  });

  it('reads the error inside a JSON array', () => {
    expect(geminiUpstream.readError([{ error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }])).toEqual({
      message: 'Quota exceeded',
      type: 'RESOURCE_EXHAUSTED',
      code: '429',
    });
  });

  it('gives empty parts for bodies that are not errors', () => {
    expect(geminiUpstream.readError(null)).toEqual({ message: '', type: '', code: '' });
    expect(geminiUpstream.readError('Bad Gateway')).toEqual({ message: '', type: '', code: '' });
    expect(geminiUpstream.readError({ message: 'flat' })).toEqual({ message: 'flat', type: '', code: '' });
  });
});

describe('geminiErrorStatus and errorBody', () => {
  it.each([
    [400, 'INVALID_ARGUMENT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'PERMISSION_DENIED'],
    [404, 'NOT_FOUND'],
    [429, 'RESOURCE_EXHAUSTED'],
    [500, 'INTERNAL'],
    [503, 'UNAVAILABLE'],
    [504, 'DEADLINE_EXCEEDED'],
    [418, 'UNKNOWN'],
    [502, 'UNKNOWN'],
  ])('names HTTP %d %s', (status, name) => {
    expect(geminiErrorStatus(status)).toBe(name);
  });

  it('builds Gemini error bodies', () => {
    expect(geminiClientFormat.errorBody(429, 'slow down')).toEqual({ error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } });
  });
});
