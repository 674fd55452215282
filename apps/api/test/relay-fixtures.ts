/** Shared set-up of relay end-to-end tests: channels pointing at fakes, tokens, log polling. */
import { ManagementClient } from './management-client';

export interface ChannelInput {
  name?: string;
  type?: number;
  key?: string;
  base_url: string;
  models: string;
  group?: string;
  model_mapping?: string;
  priority?: number;
  weight?: number;
  auto_ban?: number;
  /** The channel's `setting` JSON (proxy, thinking_to_content, …). */
  setting?: string;
  other?: string;
}

export async function createChannel(admin: ManagementClient, input: ChannelInput): Promise<number> {
  const reply = await admin.post<{ id: number }[] | { id: number }>('/api/channel/', {
    type: 1,
    key: 'sk-upstream-secret',
    group: 'default',
    name: input.name ?? `fake ${input.base_url}`,
    ...input,
  });
  if (!reply.body.success) throw new Error(`channel create failed: ${JSON.stringify(reply.body)}`);
  const data = reply.body.data;
  if (Array.isArray(data)) return data[0].id;
  if (data && typeof data === 'object' && 'id' in data) return data.id;
  // Fall back to the newest channel.
  const list = await admin.get<{ items: { id: number }[] }>('/api/channel/?p=1&page_size=1');
  return list.body.data!.items[0].id;
}

export interface TokenInput {
  name?: string;
  remain_quota?: number;
  unlimited_quota?: boolean;
  expired_time?: number;
  model_limits_enabled?: boolean;
  model_limits?: string;
  allow_ips?: string;
  group?: string;
}

export async function createToken(client: ManagementClient, input: TokenInput = {}): Promise<{ id: number; key: string }> {
  const reply = await client.post<{ id: number; key: string }>('/api/token/', {
    name: input.name ?? 'test token',
    remain_quota: 0,
    unlimited_quota: true,
    expired_time: -1,
    ...input,
  });
  if (!reply.body.success || !reply.body.data) throw new Error(`token create failed: ${JSON.stringify(reply.body)}`);
  const key = reply.body.data.key.startsWith('sk-') ? reply.body.data.key : `sk-${reply.body.data.key}`;
  return { id: reply.body.data.id, key };
}

export async function setOption(root: ManagementClient, key: string, value: string): Promise<void> {
  const reply = await root.put('/api/option/', { key, value });
  if (!reply.body.success) throw new Error(`option ${key} failed: ${JSON.stringify(reply.body)}`);
}

export interface LogRow {
  id: number;
  type: number;
  quota: number;
  model_name: string;
  prompt_tokens: number;
  completion_tokens: number;
  token_id: number;
  is_stream: boolean;
  other: string;
  content: string;
  channel: number;
}

/** Polls the admin log list until `predicate` holds (logs are written in batches behind responses). */
export async function waitForLogs(
  admin: ManagementClient,
  query: string,
  predicate: (rows: LogRow[]) => boolean,
  timeoutMs = 10_000,
): Promise<LogRow[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: LogRow[] = [];
  while (Date.now() < deadline) {
    const reply = await admin.get<{ items: LogRow[] }>(`/api/log/?p=1&page_size=100&${query}`);
    rows = reply.body.data?.items ?? [];
    if (predicate(rows)) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`logs did not reach the expected state; last rows: ${JSON.stringify(rows).slice(0, 2000)}`);
}

export async function waitFor<T>(read: () => Promise<T>, predicate: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!predicate(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value: ${JSON.stringify(value).slice(0, 1000)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
