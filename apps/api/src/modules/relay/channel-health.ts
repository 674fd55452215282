import type { UpstreamError } from '@your-api/providers-core';

export interface ChannelHealthRules {
  /** Status codes that disable a channel (option AutomaticDisableStatusCodes, default 401). */
  disableOnStatus: (status: number) => boolean;
  /** Lower-cased keywords (option AutomaticDisableKeywords, one per line). */
  keywords: readonly string[];
}

/** New API error codes and types that mean "this key will not work again". */
const DEAD_KEY_CODES = new Set(['invalid_api_key', 'account_deactivated', 'billing_not_active']);
const DEAD_KEY_TYPES = new Set(['insufficient_quota', 'authentication_error', 'permission_error', 'forbidden']);

/** Whether an upstream failure should disable the channel (or the key, on a multi-key channel). */
export function shouldDisableChannel(error: UpstreamError, rules: ChannelHealthRules): boolean {
  if (error.code !== 'upstream/error') return false; // transport errors and empty replies are transient
  if (rules.disableOnStatus(error.status)) return true;
  if (DEAD_KEY_CODES.has(error.upstreamCode) || DEAD_KEY_TYPES.has(error.upstreamType)) return true;
  const message = error.message.toLowerCase();
  return rules.keywords.some((keyword) => keyword && message.includes(keyword));
}
