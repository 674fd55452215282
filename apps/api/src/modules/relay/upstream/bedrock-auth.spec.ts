import { createHash, createHmac } from 'node:crypto';
import { signBedrockRequest } from './bedrock-auth';

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1' };
const DATE = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();

/**
 * SigV4 computed here from the specification, step by step, as an oracle independent of the
 * library: canonical request (path segments URI-encoded a second time, as every service but S3
 * expects), string to sign, and the HMAC key chain.
 */
function expectedSignature(path: string, headers: Record<string, string>, body: string): string {
  const names = Object.keys(headers).sort();
  const canonicalPath = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  const canonicalRequest = ['POST', canonicalPath, '', ...names.map((name) => `${name}:${headers[name]}`), '', names.join(';'), sha256(body)].join('\n');
  const scope = `20250102/${KEY.region}/bedrock/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', '20250102T030405Z', scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${KEY.secretAccessKey}`, '20250102'), KEY.region), 'bedrock'), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

describe('signBedrockRequest', () => {
  const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] });
  const path = '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke';

  it('signs every header, the Host and the doubly encoded path exactly as SigV4 specifies', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    const added = await signBedrockRequest({ url: `https://bedrock-runtime.us-east-1.amazonaws.com${path}`, headers, body }, KEY, DATE);
    expect(added['x-amz-date']).toBe('20250102T030405Z');
    expect(added['x-amz-content-sha256']).toBe(sha256(body));
    const signed = {
      ...headers,
      host: 'bedrock-runtime.us-east-1.amazonaws.com',
      'x-amz-content-sha256': sha256(body),
      'x-amz-date': '20250102T030405Z',
    };
    expect(added.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/us-east-1/bedrock/aws4_request, ' +
        'SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, ' +
        `Signature=${expectedSignature(path, signed, body)}`,
    );
  });

  it('signs the Host with its port when the base URL has one (a proxy or a test double)', async () => {
    const headers = { 'content-type': 'application/json' };
    const added = await signBedrockRequest({ url: `http://127.0.0.1:9000${path}`, headers, body }, KEY, DATE);
    const signed = { ...headers, host: '127.0.0.1:9000', 'x-amz-content-sha256': sha256(body), 'x-amz-date': '20250102T030405Z' };
    expect(added.authorization).toContain(`Signature=${expectedSignature(path, signed, body)}`);
  });

  it('returns only the headers to add, leaving the request as planned', async () => {
    const headers = { 'content-type': 'application/json' };
    const added = await signBedrockRequest({ url: `https://bedrock-runtime.us-east-1.amazonaws.com${path}`, headers, body }, KEY, DATE);
    expect(Object.keys(added).sort()).toEqual(['authorization', 'x-amz-content-sha256', 'x-amz-date']);
    expect(headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.stringify(added)).not.toContain(KEY.secretAccessKey);
  });
});
