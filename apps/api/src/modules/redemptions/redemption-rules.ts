/**
 * Pure rules of redemption codes (no Nest, no database), shared by the service and its unit tests.
 */
import { randomUUID } from 'node:crypto';
import { REDEMPTION_NAME_MAX_LENGTH, RedemptionStatus } from '@your-api/contracts';

/** Stored keys are New API's `common.GetUUID()`: a random UUID without dashes (32 hex characters). */
export const REDEMPTION_KEY_LENGTH = 32;

export function generateRedemptionKey(): string {
  return randomUUID().replace(/-/g, '');
}

/** Characters as MySQL and PostgreSQL count them (code points), so the limit matches the column. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}

/** The trimmed name, or why it is refused (New API: 1–20 characters). */
export function checkRedemptionName(raw: string): { value: string } | { error: string } {
  const name = raw.trim();
  if (!name || characterCount(name) > REDEMPTION_NAME_MAX_LENGTH) {
    return { error: `name must be 1 to ${REDEMPTION_NAME_MAX_LENGTH} characters long` };
  }
  return { value: name };
}

/** 0 (never expires) or a moment in the future; null when acceptable, else the reason. */
export function expiryProblem(expiredTime: number, now: number): string | null {
  if (expiredTime === 0 || expiredTime > now) return null;
  return 'expired_time must be 0 (never expires) or a Unix time in seconds in the future';
}

/** What a code looked like when a redeem attempt did not claim it. */
export interface CodeState {
  status: number;
  expired_time: number;
}

export interface Refusal {
  code: string;
  message: string;
}

/**
 * Why a key could not be redeemed, judged from the row read after the guarded update found nothing
 * to claim (null: no such code, or deleted).
 */
export function redeemRefusal(row: CodeState | null, now: number): Refusal {
  if (!row) return { code: 'redemption/not-found', message: 'This redemption code does not exist' };
  if (row.status === RedemptionStatus.Used) return { code: 'redemption/used', message: 'This redemption code has already been used' };
  if (row.status === RedemptionStatus.Disabled) return { code: 'redemption/disabled', message: 'This redemption code has been disabled' };
  if (row.expired_time !== 0 && row.expired_time <= now) return { code: 'redemption/expired', message: 'This redemption code has expired' };
  // Enabled and in date now, yet not claimable a moment ago: changed by an admin in between.
  return { code: 'redemption/changed', message: 'This redemption code changed while it was being redeemed; try again' };
}

/** Log text of a redemption: the amount in dollars and in quota units, and the code's id. */
export function topUpLogContent(quota: number, quotaPerUnit: number, codeId: number): string {
  const dollars = quotaPerUnit > 0 ? `$${(quota / quotaPerUnit).toFixed(6)}` : '$?';
  return `Redeemed code #${codeId} for ${dollars} (${quota} quota)`;
}
