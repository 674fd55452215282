import type { LogEntity } from '../../database/entities';
import { toAdminLogView, toUserLogView, withoutAdminInfo } from './log-views';

const row = (overrides: Partial<LogEntity> = {}): LogEntity =>
  ({
    id: 7,
    user_id: 3,
    created_at: 1_700_000_000,
    type: 2,
    content: 'model ratio 1',
    username: 'alice',
    token_name: 'default',
    model_name: 'gpt-4o',
    quota: 150,
    prompt_tokens: 10,
    completion_tokens: 20,
    use_time: 2,
    is_stream: true,
    channel_id: 12,
    token_id: 5,
    group: 'vip',
    request_id: 'req-1',
    other: JSON.stringify({ model_ratio: 1.5, admin_info: { use_channel: ['12'] } }),
    ...overrides,
  }) as LogEntity;

describe('log views', () => {
  it('admin view uses New API names: channel for channel_id, other as the stored string', () => {
    const view = toAdminLogView(row());
    expect(view.channel).toBe(12);
    expect(view).not.toHaveProperty('channel_id');
    expect(view.other).toBe(row().other);
    expect(view.request_id).toBe('req-1');
  });

  it('user view has no channel and no admin_info, keeps the rest of other', () => {
    const view = toUserLogView(row());
    expect(view).not.toHaveProperty('channel');
    expect(view).not.toHaveProperty('channel_name');
    expect(JSON.parse(view.other)).toEqual({ model_ratio: 1.5 });
    expect(view.quota).toBe(150);
  });

  it('null content and other become empty strings', () => {
    const view = toAdminLogView(row({ content: null, other: null }));
    expect(view.content).toBe('');
    expect(view.other).toBe('');
  });

  it('withoutAdminInfo drops text that is not a JSON object rather than leak it', () => {
    expect(withoutAdminInfo('not json')).toBe('');
    expect(withoutAdminInfo('[1,2]')).toBe('');
    expect(withoutAdminInfo('')).toBe('');
    expect(withoutAdminInfo('{"admin_info":{"a":1}}')).toBe('{}');
  });
});
