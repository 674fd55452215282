import { claudeClientFormat } from './client-format';
import { claudeErrorType } from './errors';
import { claudeUpstream } from './upstream-adapter';

describe('claudeErrorType', () => {
  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [402, 'billing_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [503, 'api_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
    [422, 'invalid_request_error'],
  ])('maps %d to %s', (status, type) => {
    expect(claudeErrorType(status)).toBe(type);
  });
});

describe('claudeClientFormat.errorBody', () => {
  it("builds Anthropic's error envelope", () => {
    expect(claudeClientFormat.errorBody(429, 'Slow down')).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } });
  });
});

describe('claudeUpstream.readError', () => {
  it('reads type and message of an Anthropic error body', () => {
    expect(
      claudeUpstream.readError({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' }),
    ).toEqual({ message: 'Overloaded', type: 'overloaded_error', code: '' });
  });

  it('reads an OpenAI-shaped error from a proxy in front of Claude', () => {
    expect(claudeUpstream.readError({ error: { message: 'bad key', type: 'invalid_request_error', code: 'invalid_api_key' } })).toEqual({
      message: 'bad key',
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    });
  });

  it('gives empty fields for a non-JSON body so the caller falls back to the raw text', () => {
    expect(claudeUpstream.readError(null)).toEqual({ message: '', type: '', code: '' });
    expect(claudeUpstream.readError('oops')).toEqual({ message: '', type: '', code: '' });
  });
});
