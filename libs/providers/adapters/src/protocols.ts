import { ChannelType } from '@your-api/contracts';
import type { ChatUpstreamAdapter, ClientChatFormat } from '@your-api/providers-core';
import { claudeClientFormat, claudeUpstream } from './claude';
import { cohereUpstream } from './cohere';
import { cozeUpstream } from './coze';
import { difyUpstream } from './dify';
import { geminiClientFormat, geminiUpstream } from './gemini';
import { vertexUpstream } from './vertex';
import { bedrockUpstream } from './bedrock';

/**
 * The wire protocol a channel type speaks. `openai` covers OpenAI itself and every
 * OpenAI-compatible vendor (their requests are forwarded byte for byte); `azure` is OpenAI's
 * format on deployment URLs; `claude` and `gemini` go through their converters; `vertex`
 * (Gemini and Claude on Vertex AI) and `bedrock` (Claude on AWS Bedrock) reuse those converters
 * and need request authorization the relay adds (access token, SigV4); `cohere` (chat v2),
 * `dify` (chat apps) and `coze` (v3 bots) have converters of their own;
 * `unsupported` types get a clear error instead of a request in the wrong format.
 */
export type UpstreamProtocol = 'openai' | 'azure' | 'claude' | 'gemini' | 'vertex' | 'bedrock' | 'cohere' | 'dify' | 'coze' | 'unsupported';

/** Types whose native APIs we do not speak yet (they need request signing or another protocol). */
const UNSUPPORTED: ReadonlySet<number> = new Set([
  ChannelType.Midjourney,
  ChannelType.MidjourneyPlus,
  ChannelType.PaLM,
  ChannelType.Baidu,
  ChannelType.Zhipu,
  ChannelType.Xunfei,
  ChannelType.Tencent,
  ChannelType.SunoAPI,
]);

export function upstreamProtocolOf(channelType: number): UpstreamProtocol {
  if (channelType === ChannelType.Azure) return 'azure';
  if (channelType === ChannelType.Anthropic) return 'claude';
  if (channelType === ChannelType.Gemini) return 'gemini';
  if (channelType === ChannelType.Cohere) return 'cohere';
  if (channelType === ChannelType.Dify) return 'dify';
  if (channelType === ChannelType.Coze) return 'coze';
  if (channelType === ChannelType.VertexAI) return 'vertex';
  if (channelType === ChannelType.Aws) return 'bedrock';
  if (UNSUPPORTED.has(channelType)) return 'unsupported';
  return 'openai';
}

/** The converter of a non-OpenAI chat protocol, or null for OpenAI-format protocols. */
export function chatAdapterOf(protocol: UpstreamProtocol): ChatUpstreamAdapter | null {
  if (protocol === 'claude') return claudeUpstream;
  if (protocol === 'gemini') return geminiUpstream;
  if (protocol === 'vertex') return vertexUpstream;
  if (protocol === 'bedrock') return bedrockUpstream;
  if (protocol === 'cohere') return cohereUpstream;
  if (protocol === 'dify') return difyUpstream;
  if (protocol === 'coze') return cozeUpstream;
  return null;
}

/** How an upstream frames its stream: SSE, or AWS event-stream binary messages (Bedrock). */
export type StreamFraming = 'sse' | 'aws-event-stream';

export function streamFramingOf(protocol: UpstreamProtocol): StreamFraming {
  return protocol === 'bedrock' ? 'aws-event-stream' : 'sse';
}

/** Upstreams that cannot fetch image URLs themselves: the gateway downloads them into data URLs. */
export function needsInlineImages(protocol: UpstreamProtocol): boolean {
  return protocol === 'gemini' || protocol === 'vertex' || protocol === 'bedrock';
}

/** Client-facing formats other than OpenAI's. */
export type ClientFormatName = 'claude' | 'gemini';

export function clientFormatOf(name: ClientFormatName): ClientChatFormat {
  return name === 'claude' ? claudeClientFormat : geminiClientFormat;
}
