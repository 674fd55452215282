import { readMjTask } from '@your-api/provider-adapters';
import { isTimedOut, MJ_TIMEOUT_MS, paidTokenId, taskPrivateData, mjPollTransition, mjSubmitOutcome, MjRow, refundAmount, sunoPollTransition, toMjDto, toSunoDto, TaskRow } from './task-rules';

const reply = (code: number, properties: Record<string, unknown> | null = null) => ({ code, description: `d${code}`, result: 'id', properties });

describe('Midjourney submit codes', () => {
  it('charges codes 1, 21 and 22 and shows 21/22 as 1', () => {
    expect(mjSubmitOutcome(reply(1), 'IMAGINE', 5)).toMatchObject({ accepted: true, charge: true, clientCode: 1, row: { status: 'SUBMITTED', progress: '0%' } });
    expect(mjSubmitOutcome(reply(22), 'IMAGINE', 5)).toMatchObject({ accepted: true, charge: true, clientCode: 1 });
    expect(mjSubmitOutcome(reply(21), 'UPSCALE', 5)).toMatchObject({ accepted: true, charge: true, clientCode: 1 });
  });

  it('stores an existing finished task as SUCCESS (code 21)', () => {
    const outcome = mjSubmitOutcome(reply(21, { status: 'SUCCESS', imageUrl: 'http://i' }), 'UPSCALE', 7);
    expect(outcome.row).toMatchObject({ status: 'SUCCESS', progress: '100%', image_url: 'http://i', start_time: 7, finish_time: 7 });
  });

  it('keeps 21 for INPAINT/CUSTOM_ZOOM and never charges them', () => {
    expect(mjSubmitOutcome(reply(21), 'INPAINT', 5)).toMatchObject({ accepted: true, charge: false, clientCode: 21 });
    expect(mjSubmitOutcome(reply(1), 'CUSTOM_ZOOM', 5)).toMatchObject({ charge: false, clientCode: 1 });
  });

  it('records other codes as failed, uncharged and finished', () => {
    expect(mjSubmitOutcome(reply(24), 'IMAGINE', 5)).toMatchObject({
      accepted: false,
      charge: false,
      clientCode: 24,
      row: { status: 'FAILURE', progress: '100%', fail_reason: 'd24' },
    });
  });

  it('finishes an UPLOAD at once', () => {
    expect(mjSubmitOutcome(reply(1), 'UPLOAD', 5).row).toMatchObject({ status: 'SUCCESS', progress: '100%' });
  });
});

describe('poll transitions', () => {
  const task = (fields: Record<string, unknown>) => readMjTask({ id: 'a', ...fields })!;

  it('updates a running task without failing it', () => {
    expect(mjPollTransition(task({ status: 'IN_PROGRESS', progress: '40%' }))).toMatchObject({ failed: false, fields: { status: 'IN_PROGRESS', progress: '40%' } });
    expect(mjPollTransition(task({ status: 'SUCCESS', progress: '100%', imageUrl: 'u' }))).toMatchObject({ failed: false, fields: { status: 'SUCCESS', image_url: 'u' } });
  });

  it('fails on a fail reason before 100%, or on FAILURE', () => {
    expect(mjPollTransition(task({ status: 'IN_PROGRESS', progress: '', failReason: 'banned' }))).toMatchObject({
      failed: true,
      fields: { status: 'FAILURE', progress: '100%', fail_reason: 'banned' },
    });
    expect(mjPollTransition(task({ status: 'FAILURE', progress: '100%' }))).toMatchObject({ failed: true, fields: { fail_reason: 'failed upstream' } });
  });

  it('moves Suno tasks', () => {
    const base = { taskId: 't', action: 'MUSIC', failReason: '', submitTime: 1, startTime: 2, finishTime: 0, data: null };
    expect(sunoPollTransition({ ...base, status: 'SUCCESS' }, 9)).toMatchObject({ failed: false, fields: { status: 'SUCCESS', progress: '100%', finish_time: 9 } });
    expect(sunoPollTransition({ ...base, status: 'IN_PROGRESS' }, 9)).toMatchObject({ failed: false, fields: { progress: '50%' } });
    expect(sunoPollTransition({ ...base, status: 'QUEUED', failReason: 'x' }, 9)).toMatchObject({ failed: true, fields: { status: 'FAILURE', progress: '100%' } });
  });

  it('times out unfinished tasks only', () => {
    expect(isTimedOut(1000, '50%', 1000 + MJ_TIMEOUT_MS + 1, MJ_TIMEOUT_MS)).toBe(true);
    expect(isTimedOut(1000, '50%', 1000 + MJ_TIMEOUT_MS, MJ_TIMEOUT_MS)).toBe(false);
    expect(isTimedOut(1000, '100%', 1000 + 2 * MJ_TIMEOUT_MS, MJ_TIMEOUT_MS)).toBe(false);
    expect(isTimedOut(0, '0%', 2 * MJ_TIMEOUT_MS, MJ_TIMEOUT_MS)).toBe(false);
  });

  it('refunds only what was charged', () => {
    expect(refundAmount(50000)).toBe(50000);
    expect(refundAmount(0)).toBe(0);
    expect(refundAmount(-3)).toBe(0);
  });
});

describe('DTOs', () => {
  const row: MjRow = {
    id: 1, user_id: 2, action: 'IMAGINE', mj_id: 'm1', prompt: 'p', prompt_en: 'pe', description: 'd', state: '', submit_time: 1,
    start_time: 2, finish_time: 3, image_url: 'http://up/i.png', status: 'IN_PROGRESS', progress: '50%', fail_reason: null,
    channel_id: 9, quota: 5, buttons: '[{"customId":"c"}]', properties: '{"finalPrompt":"f"}',
  };

  it('rewrites the image URL to the gateway while forwarding is on', () => {
    expect(toMjDto(row, { forwardUrl: true, serverAddress: 'https://gw/', nowMs: 42 }).imageUrl).toBe('https://gw/mj/image/m1?rand=42');
    expect(toMjDto({ ...row, status: 'SUCCESS' }, { forwardUrl: true, serverAddress: 'https://gw', nowMs: 42 }).imageUrl).toBe('https://gw/mj/image/m1');
    expect(toMjDto(row, { forwardUrl: false, serverAddress: 'https://gw', nowMs: 42 })).toMatchObject({
      id: 'm1',
      imageUrl: 'http://up/i.png',
      buttons: [{ customId: 'c' }],
      properties: { finalPrompt: 'f' },
      failReason: '',
    });
  });

  it('shows Suno tasks as New API TaskDto', () => {
    const task: TaskRow = {
      id: 1, task_id: 't', platform: 'suno', user_id: 2, channel_id: 3, quota: 4, action: 'MUSIC', status: 'SUCCESS', fail_reason: null,
      submit_time: 1, start_time: 2, finish_time: 3, progress: '100%', properties: null, data: '[{"id":"c"}]',
    };
    expect(toSunoDto(task)).toEqual({ task_id: 't', action: 'MUSIC', status: 'SUCCESS', fail_reason: '', submit_time: 1, start_time: 2, finish_time: 3, progress: '100%', data: [{ id: 'c' }] });
  });
});

describe('tasks.private_data', () => {
  it('records the paying key and reads it back', () => {
    expect(JSON.parse(taskPrivateData(42))).toEqual({ billing_source: 'wallet', token_id: 42 });
    expect(paidTokenId(taskPrivateData(42))).toBe(42);
  });
  it.each([
    [null, 0],
    ['', 0],
    ['not json', 0],
    ['null', 0],
    ['{}', 0],
    ['{"token_id":"7"}', 7],
    ['{"token_id":-3}', 0],
    ['{"token_id":1.5}', 0],
    ['{"key":"sk-x","token_id":9,"billing_source":"subscription"}', 9],
  ])('paidTokenId(%j) = %d', (input, expected) => expect(paidTokenId(input)).toBe(expected));
});
