/**
 * JSON shapes of the management API, field for field as New API sends them,
 * so scripts written against New API keep working.
 */

export interface UserView {
  id: number;
  username: string;
  display_name: string;
  role: number;
  status: number;
  email: string;
  github_id: string;
  oidc_id: string;
  wechat_id: string;
  telegram_id: string;
  linux_do_id: string;
  quota: number;
  used_quota: number;
  request_count: number;
  group: string;
  aff_code: string;
  aff_count: number;
  aff_quota: number;
  aff_history_quota: number;
  inviter_id: number;
  setting: string;
  remark: string;
  /** Present only where the caller may see it (the user themself). */
  access_token?: string | null;
  /**
   * Only in the user's own view (GET/PUT /api/user/self; not in New API): false for a user without
   * a usable password (created by OAuth), who may set one without original_password.
   */
  has_password?: boolean;
}

export interface TokenView {
  id: number;
  user_id: number;
  key: string;
  status: number;
  name: string;
  created_time: number;
  accessed_time: number;
  expired_time: number;
  remain_quota: number;
  unlimited_quota: boolean;
  model_limits_enabled: boolean;
  model_limits: string;
  allow_ips: string;
  used_quota: number;
  group: string;
}

export interface ChannelView {
  id: number;
  type: number;
  key?: string;
  openai_organization: string | null;
  test_model: string | null;
  status: number;
  name: string;
  weight: number;
  created_time: number;
  test_time: number;
  response_time: number;
  base_url: string;
  other: string;
  balance: number;
  balance_updated_time: number;
  models: string;
  group: string;
  used_quota: number;
  model_mapping: string | null;
  status_code_mapping: string;
  priority: number;
  auto_ban: number;
  other_info: string;
  tag: string | null;
  setting: string | null;
  param_override: string | null;
}

export interface LogView {
  id: number;
  user_id: number;
  created_at: number;
  type: number;
  content: string;
  username: string;
  token_name: string;
  model_name: string;
  quota: number;
  prompt_tokens: number;
  completion_tokens: number;
  use_time: number;
  is_stream: boolean;
  channel: number;
  channel_name?: string;
  token_id: number;
  group: string;
  other: string;
}

export interface QuotaDataView {
  id: number;
  user_id: number;
  username: string;
  model_name: string;
  created_at: number;
  token_used: number;
  count: number;
  quota: number;
}

export interface StatusView {
  version: string;
  start_time: number;
  system_name: string;
  setup: boolean;
  quota_per_unit: number;
  [key: string]: unknown;
}

/** A log row as an admin sees it (`/api/log/`): LogView plus the request id. */
export interface AdminLogView extends LogView {
  request_id: string;
}

/** A log row as its owner sees it (`/api/log/self`): no channel, and `other` without `admin_info`. */
export type UserLogView = Omit<AdminLogView, 'channel' | 'channel_name'>;

/** `/api/log/stat` and `/api/log/self/stat`. */
export interface LogStatView {
  quota: number;
  rpm: number;
  tpm: number;
}

/** One entry of GET /api/user/groups and /api/user/self/groups (`{name: {ratio, desc}}`); `auto` has ratio "auto". */
export interface UsableGroupView {
  ratio: number | string;
  desc: string;
}

/** `data` of POST /api/user/manage: the target's role and status afterwards (and quota for add_quota). */
export interface ManageUserResult {
  role: number;
  status: number;
  quota?: number;
}
