import { HttpStatus } from '@nestjs/common';
import { Dispatcher, request } from 'undici';
import { ApiError } from '../../common/api-error';

const PROVIDER_TIMEOUT_MS = 15_000;
/** Token and user-info replies are small; a bigger one is not what was asked for. */
const MAX_PROVIDER_BODY = 256 * 1024;

export interface ProviderReply {
  status: number;
  /** The JSON object answered ({} when the body was not one). */
  json: Record<string, unknown>;
}

/**
 * One request to an identity provider, answering its JSON. Only the provider's name goes into
 * errors: URLs may carry a tenant, and bodies carry codes and tokens.
 */
export async function callProvider(
  provider: string,
  url: string,
  options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<ProviderReply> {
  if (!/^https?:\/\//i.test(url)) {
    throw new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, 'oauth/provider-misconfigured', `The ${provider} endpoint is not configured`);
  }
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: options.method,
      headers: { 'user-agent': 'your-api', ...options.headers },
      body: options.body,
      headersTimeout: PROVIDER_TIMEOUT_MS,
      bodyTimeout: PROVIDER_TIMEOUT_MS,
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
  } catch {
    throw new ApiError(HttpStatus.BAD_GATEWAY, 'oauth/provider-unreachable', `Could not reach ${provider}`);
  }
  const text = await readLimited(provider, response);
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: response.statusCode, json };
}

async function readLimited(provider: string, response: Dispatcher.ResponseData): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      if (size > MAX_PROVIDER_BODY) {
        response.body.destroy();
        throw new ApiError(HttpStatus.BAD_GATEWAY, 'oauth/provider-bad-response', `${provider} answered with an oversized body`);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(HttpStatus.BAD_GATEWAY, 'oauth/provider-unreachable', `The connection to ${provider} failed`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The provider's own error words (`error`, `error_description`, `message`), for the caller's message. */
export function providerErrorDetail(reply: ProviderReply): string {
  const words = [reply.json.error, reply.json.error_description, reply.json.message].filter(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
  return (words.join(': ') || `HTTP ${reply.status}`).slice(0, 200);
}
