import type { AdminLogView, UserLogView } from '@your-api/contracts';
import type { LogEntity } from '../../database/entities';

/** Keys of `other` that describe the upstream side (channels tried, key index…): admins only. */
const ADMIN_ONLY_OTHER_KEYS = ['admin_info'];

/** A log row with New API's JSON names (`channel` is `channel_id`; `other` stays a JSON string). */
export function toAdminLogView(row: LogEntity): AdminLogView {
  return {
    id: row.id,
    user_id: row.user_id,
    created_at: row.created_at,
    type: row.type,
    content: row.content ?? '',
    username: row.username,
    token_name: row.token_name,
    model_name: row.model_name,
    quota: row.quota,
    prompt_tokens: row.prompt_tokens,
    completion_tokens: row.completion_tokens,
    use_time: row.use_time,
    is_stream: Boolean(row.is_stream),
    channel: row.channel_id,
    token_id: row.token_id,
    group: row.group,
    request_id: row.request_id,
    other: row.other ?? '',
  };
}

/** The owner's view: no channel id or name, and `other` without the admin-only keys. */
export function toUserLogView(row: LogEntity): UserLogView {
  const { channel: _channel, channel_name: _channelName, ...view } = toAdminLogView(row);
  return { ...view, other: withoutAdminInfo(row.other) };
}

/** Removes admin-only keys from an `other` JSON string; text that is not a JSON object is dropped. */
export function withoutAdminInfo(other: string | null): string {
  if (!other) return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(other);
  } catch {
    return '';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return '';
  const copy = { ...(parsed as Record<string, unknown>) };
  for (const key of ADMIN_ONLY_OTHER_KEYS) delete copy[key];
  return JSON.stringify(copy);
}
