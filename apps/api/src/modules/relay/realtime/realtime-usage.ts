import { audioQuota, priceQuota } from '@your-api/billing-math';

/** Token counts of one realtime response, split as the audio formula bills them. */
export interface RealtimeUsage {
  inputTokens: number;
  outputTokens: number;
  textInputTokens: number;
  audioInputTokens: number;
  textOutputTokens: number;
  audioOutputTokens: number;
  /** Part of the input served from the prompt cache (billed at the full rate, as New API does). */
  cachedTokens: number;
}

/** The prices one realtime session bills each response with. */
export interface RealtimeRatios {
  /** Per-call price instead of token ratios (`ModelPrice` set for the model). */
  usePrice: boolean;
  modelPrice: number;
  modelRatio: number;
  completionRatio: number;
  audioRatio: number;
  audioCompletionRatio: number;
  groupRatio: number;
  quotaPerUnit: number;
}

/** The marker that lets frames other than response.done skip JSON parsing (audio deltas are large). */
const RESPONSE_DONE_MARKER = Buffer.from('"response.done"');

/**
 * The usage of an upstream `response.done` event, or null for any other frame. Only this event
 * carries usage in the Realtime API. Missing per-modality details count as text, so a response
 * with usage is never billed as empty.
 */
export function readResponseDoneUsage(frame: Buffer | string): RealtimeUsage | null {
  const bytes = typeof frame === 'string' ? Buffer.from(frame) : frame;
  if (bytes.indexOf(RESPONSE_DONE_MARKER) < 0) return null;
  let event: unknown;
  try {
    event = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (!isObject(event) || event.type !== 'response.done') return null;
  const response = isObject(event.response) ? event.response : {};
  const usage = isObject(response.usage) ? response.usage : {};
  const inputDetails = isObject(usage.input_token_details) ? usage.input_token_details : {};
  const outputDetails = isObject(usage.output_token_details) ? usage.output_token_details : {};
  const inputTokens = count(usage.input_tokens);
  const outputTokens = count(usage.output_tokens);
  const audioInputTokens = count(inputDetails.audio_tokens);
  const audioOutputTokens = count(outputDetails.audio_tokens);
  return {
    inputTokens,
    outputTokens,
    textInputTokens: 'text_tokens' in inputDetails ? count(inputDetails.text_tokens) : Math.max(0, inputTokens - audioInputTokens),
    audioInputTokens,
    textOutputTokens: 'text_tokens' in outputDetails ? count(outputDetails.text_tokens) : Math.max(0, outputTokens - audioOutputTokens),
    audioOutputTokens,
    cachedTokens: count(inputDetails.cached_tokens),
  };
}

/**
 * Quota of one response: a per-call price when the model has one, otherwise New API's audio
 * formula (text_in + text_out×completion + audio_in×audio + audio_out×audio×audio_completion)
 * × model × group, minimum 1.
 */
export function realtimeResponseQuota(usage: RealtimeUsage, ratios: RealtimeRatios): number {
  if (ratios.usePrice) {
    return priceQuota({ modelPrice: ratios.modelPrice, groupRatio: ratios.groupRatio, quotaPerUnit: ratios.quotaPerUnit });
  }
  return audioQuota({
    textInputTokens: usage.textInputTokens,
    textOutputTokens: usage.textOutputTokens,
    audioInputTokens: usage.audioInputTokens,
    audioOutputTokens: usage.audioOutputTokens,
    modelRatio: ratios.modelRatio,
    completionRatio: ratios.completionRatio,
    audioRatio: ratios.audioRatio,
    audioCompletionRatio: ratios.audioCompletionRatio,
    groupRatio: ratios.groupRatio,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0;
}
