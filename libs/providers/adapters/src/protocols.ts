import { ChannelType } from '@your-api/contracts';
import type { ChatUpstreamAdapter, ClientChatFormat } from '@your-api/providers-core';
import { claudeClientFormat, claudeUpstream } from './claude';
import { geminiClientFormat, geminiUpstream } from './gemini';

/**
 * The wire protocol a channel type speaks. `openai` covers OpenAI itself and every
 * OpenAI-compatible vendor (their requests are forwarded byte for byte); `azure` is OpenAI's
 * format on deployment URLs; `claude` and `gemini` go through their converters;
 * `unsupported` types get a clear error instead of a request in the wrong format.
 */
export type UpstreamProtocol = 'openai' | 'azure' | 'claude' | 'gemini' | 'unsupported';

/** Types whose native APIs we do not speak yet (they need request signing or another protocol). */
const UNSUPPORTED: ReadonlySet<number> = new Set([
  ChannelType.Midjourney,
  ChannelType.MidjourneyPlus,
  ChannelType.PaLM,
  ChannelType.Baidu,
  ChannelType.Zhipu,
  ChannelType.Xunfei,
  ChannelType.Tencent,
  ChannelType.Aws,
  ChannelType.SunoAPI,
  ChannelType.Dify,
  ChannelType.VertexAI,
  ChannelType.Coze,
]);

export function upstreamProtocolOf(channelType: number): UpstreamProtocol {
  if (channelType === ChannelType.Azure) return 'azure';
  if (channelType === ChannelType.Anthropic) return 'claude';
  if (channelType === ChannelType.Gemini) return 'gemini';
  if (UNSUPPORTED.has(channelType)) return 'unsupported';
  return 'openai';
}

/** The converter of a non-OpenAI chat protocol, or null for OpenAI-format protocols. */
export function chatAdapterOf(protocol: UpstreamProtocol): ChatUpstreamAdapter | null {
  if (protocol === 'claude') return claudeUpstream;
  if (protocol === 'gemini') return geminiUpstream;
  return null;
}

/** Client-facing formats other than OpenAI's. */
export type ClientFormatName = 'claude' | 'gemini';

export function clientFormatOf(name: ClientFormatName): ClientChatFormat {
  return name === 'claude' ? claudeClientFormat : geminiClientFormat;
}
