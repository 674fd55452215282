/** Redemption codes: one-time keys an admin issues and a user redeems for quota (New API `redemptions`). */

/** Longest code name, counted in characters (New API: 1–20). */
export const REDEMPTION_NAME_MAX_LENGTH = 20;
/** Most codes one create request may issue (New API: 100). */
export const REDEMPTION_MAX_COUNT = 100;

/** A code as the admin routes show it (New API's JSON field names). */
export interface RedemptionView {
  id: number;
  /** The admin who created it. */
  user_id: number;
  /** 32 hex characters. */
  key: string;
  /** RedemptionStatus: 1 enabled, 2 disabled, 3 used. */
  status: number;
  name: string;
  quota: number;
  created_time: number;
  /** Unix seconds it was redeemed; 0 until then. */
  redeemed_time: number;
  used_user_id: number;
  /** Unix seconds after which it cannot be redeemed; 0 = never expires. */
  expired_time: number;
}

/** POST /api/redemption/ body; `data` of the answer is the list of new keys. */
export interface CreateRedemptionRequest {
  name: string;
  quota: number;
  count: number;
  expired_time?: number;
}

/**
 * PUT /api/redemption/ body: name, quota and expiry (and status) change; with `?status_only=true`
 * only the status (1 enabled or 2 disabled).
 */
export interface UpdateRedemptionRequest {
  id: number;
  name?: string;
  quota?: number;
  expired_time?: number;
  status?: number;
}

/** POST /api/user/topup body; `data` of the answer is the quota credited. */
export interface TopUpRequest {
  key: string;
}
