/** Roles as New API stores them in `users.role`. */
export enum Role {
  Guest = 0,
  Common = 1,
  Admin = 10,
  Root = 100,
}

export enum UserStatus {
  Enabled = 1,
  Disabled = 2,
}

export enum TokenStatus {
  Enabled = 1,
  Disabled = 2,
  Expired = 3,
  Exhausted = 4,
}

export enum ChannelStatus {
  Unknown = 0,
  Enabled = 1,
  ManuallyDisabled = 2,
  AutoDisabled = 3,
}

export enum RedemptionStatus {
  Enabled = 1,
  Disabled = 2,
  Used = 3,
}

/** `logs.type` values. */
export enum LogType {
  Unknown = 0,
  Topup = 1,
  Consume = 2,
  Manage = 3,
  System = 4,
  Error = 5,
  Refund = 6,
  Login = 7,
}

/** Channel types with New API's numeric ids (constant/channel.go). */
export enum ChannelType {
  Unknown = 0,
  OpenAI = 1,
  Midjourney = 2,
  Azure = 3,
  Ollama = 4,
  MidjourneyPlus = 5,
  OpenAIMax = 6,
  OhMyGPT = 7,
  Custom = 8,
  AILS = 9,
  AIProxy = 10,
  PaLM = 11,
  API2GPT = 12,
  AIGC2D = 13,
  Anthropic = 14,
  Baidu = 15,
  Zhipu = 16,
  Ali = 17,
  Xunfei = 18,
  AI360 = 19,
  OpenRouter = 20,
  AIProxyLibrary = 21,
  FastGPT = 22,
  Tencent = 23,
  Gemini = 24,
  Moonshot = 25,
  ZhipuV4 = 26,
  Perplexity = 27,
  LingYiWanWu = 31,
  Aws = 33,
  Cohere = 34,
  MiniMax = 35,
  SunoAPI = 36,
  Dify = 37,
  Jina = 38,
  Cloudflare = 39,
  SiliconFlow = 40,
  VertexAI = 41,
  Mistral = 42,
  DeepSeek = 43,
  MokaAI = 44,
  VolcEngine = 45,
  BaiduV2 = 46,
  Xinference = 47,
  Xai = 48,
  Coze = 49,
}

/** Human-readable channel type names, for lists in the console. */
export const CHANNEL_TYPE_NAMES: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(ChannelType)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => [v as number, k]),
  ),
);
