import { pipeline } from 'node:stream/promises';
import { audioSecondsToTokens, summariseEndpointReply, type OpenAiEndpoint } from '@your-api/provider-adapters';
import { Usage, UpstreamError } from '@your-api/providers-core';
import { countTextTokens } from '@your-api/tokenizer';
import type { Response } from 'express';
import type { Dispatcher } from 'undici';
import { writeJsonText } from '../../common/request-fields';

/** What a non-chat reply yields for billing. */
export interface EndpointReplyOutcome {
  usage: Usage | null;
  localCompletionTokens: number;
  /** A better prompt count than the request estimate (transcriptions: from the audio length). */
  localPromptTokens: number | null;
}

/** Upstream headers worth passing on with a file-like reply (audio, subtitles). */
const FORWARDED_HEADERS = ['content-type', 'content-length', 'content-disposition'];

/**
 * Relays a non-stream reply of the endpoints besides chat: JSON bodies are read (for usage and
 * the empty-reply check) and sent as they came; audio and other bytes are piped through with
 * backpressure, never held whole; small text bodies (transcripts as text/srt/vtt) are counted.
 */
export async function relayEndpointReply(
  endpoint: OpenAiEndpoint,
  model: string,
  response: Dispatcher.ResponseData,
  res: Response,
  canRetry: boolean,
): Promise<EndpointReplyOutcome> {
  const contentType = String(response.headers['content-type'] ?? '');
  if (contentType.includes('application/json')) {
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamError(502, 'upstream/bad-response', 'The upstream answered with a body that is not JSON', true);
    }
    const summary = summariseEndpointReply(endpoint, json);
    if (!summary.hasContent && canRetry) throw new UpstreamError(502, 'upstream/empty-reply', 'The upstream returned an empty reply', true);
    writeJsonText(res, 200, text);
    return {
      usage: summary.usage,
      localCompletionTokens: summary.usage ? 0 : countTextTokens(model, summary.text),
      localPromptTokens: summary.audioSeconds !== null ? audioSecondsToTokens(summary.audioSeconds) : null,
    };
  }
  res.statusCode = 200;
  for (const name of FORWARDED_HEADERS) {
    const value = response.headers[name];
    if (typeof value === 'string') res.setHeader(name, value);
  }
  if (contentType.startsWith('text/')) {
    const text = await response.body.text();
    // Sent as UTF-8 (as Express's res.send did, which also named the charset when the type did not).
    if (!/;\s*charset=/i.test(contentType)) res.setHeader('content-type', `${contentType}; charset=utf-8`);
    res.setHeader('content-length', Buffer.byteLength(text));
    res.end(text);
    return { usage: null, localCompletionTokens: countTextTokens(model, text), localPromptTokens: null };
  }
  await pipeline(response.body, res);
  return { usage: null, localCompletionTokens: 0, localPromptTokens: null };
}
