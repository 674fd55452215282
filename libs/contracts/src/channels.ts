/** Channel and token request/response shapes added beside the entity views (management API). */
import type { ChannelView } from './entities';

/** How a multi-key channel picks one of its keys (`channels.channel_info.multi_key_mode`). */
export type MultiKeyMode = 'random' | 'polling';

/** `channels.channel_info` as New API [latest] stores it (JSON). */
export interface ChannelInfo {
  is_multi_key: boolean;
  multi_key_size: number;
  multi_key_mode?: MultiKeyMode;
  multi_key_status_list?: Record<string, number>;
  multi_key_polling_index?: number;
}

/** A channel as lists and details return it; `key` is present only in GET /api/channel/:id. */
export type ChannelDetailView = ChannelView & { channel_info: ChannelInfo | null };

/** POST /api/channel/fix result (New API FixAbility). */
export interface ChannelFixResult {
  success: number;
  fails: number;
}

/** One entry of GET /api/channel/models (OpenAI model-list shape, as New API). */
export interface KnownModelView {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  /** Channel type whose built-in list names this model. */
  channel_type: number;
}
