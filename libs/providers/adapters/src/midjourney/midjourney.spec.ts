import {
  buildMjRequest,
  clearModeFlags,
  mjModelName,
  parseSimpleChange,
  plusCustomIdToAction,
  prepareMjBody,
  readMjSubmitReply,
  readMjTaskList,
} from './midjourney';

describe('Midjourney wire format', () => {
  it('names the billing model of each action', () => {
    expect(mjModelName('IMAGINE')).toBe('mj_imagine');
    expect(mjModelName('CUSTOM_ZOOM')).toBe('mj_custom_zoom');
    expect(mjModelName('SWAP_FACE')).toBe('swap_face');
  });

  it.each([
    ['123 U1', { taskId: '123', action: 'UPSCALE', index: 1 }],
    ['123 v4', { taskId: '123', action: 'VARIATION', index: 4 }],
    ['123 R', { taskId: '123', action: 'REROLL' }],
    ['123 U5', null],
    ['123 X1', null],
    ['123', null],
    ['123 U1 extra', null],
    [42, null],
  ])('parses simple-change %p', (content, expected) => {
    expect(parseSimpleChange(content)).toEqual(expected);
  });

  it.each([
    ['MJ::JOB::upsample::2::abc', { action: 'UPSCALE', index: 2 }],
    ['MJ::JOB::variation::3::abc', { action: 'VARIATION', index: 3 }],
    ['MJ::JOB::low_variation::1::abc::SOLO', { action: 'LOW_VARIATION', index: 1 }],
    ['MJ::JOB::high_variation::1::abc::SOLO', { action: 'HIGH_VARIATION', index: 1 }],
    ['MJ::JOB::pan_left::1::abc::SOLO', { action: 'PAN', index: 1 }],
    ['MJ::JOB::reroll::0::abc::SOLO', { action: 'REROLL', index: 1 }],
    ['MJ::Outpaint::50::1::abc::SOLO', { action: 'ZOOM', index: 1 }],
    ['MJ::CustomZoom::abc', { action: 'CUSTOM_ZOOM', index: 1 }],
    ['MJ::Inpaint::1::abc::SOLO', { action: 'INPAINT', index: 1 }],
    ['MJ::JOB::upsample::x::abc', { error: 'index_parse_failed' }],
    ['MJ::JOB::dance::1::abc', { error: 'unknown_action:MJ::JOB::dance::1::abc' }],
    ['', { error: 'custom_id_is_required' }],
  ])('converts the MJ-Plus custom id %p', (customId, expected) => {
    expect(plusCustomIdToAction(customId)).toEqual(expected);
  });

  it('filters the forwarded body by the options', () => {
    const body = { prompt: 'a cat --fast --ar 16:9 --turbo', notifyHook: 'h', accountFilter: { modes: ['FAST'] } };
    expect(prepareMjBody(body, { keepNotifyHook: false, keepAccountFilter: false, clearMode: false })).toEqual({ prompt: body.prompt });
    expect(prepareMjBody(body, { keepNotifyHook: true, keepAccountFilter: true, clearMode: true })).toEqual({
      prompt: 'a cat --ar 16:9',
      notifyHook: 'h',
      accountFilter: { modes: ['FAST'] },
    });
    expect(clearModeFlags('x --relax')).toBe('x');
  });

  it('builds the upstream request with mj-api-secret, keeping a mode prefix', () => {
    const request = buildMjRequest('http://mj.local/', '/fast/mj/submit/imagine', 'secret', { prompt: 'p' });
    expect(request).toEqual({
      url: 'http://mj.local/fast/mj/submit/imagine',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'mj-api-secret': 'secret' },
      body: '{"prompt":"p"}',
    });
  });

  it('reads submit replies and task lists', () => {
    expect(readMjSubmitReply({ code: 22, description: 'queued', result: 123, properties: { numberOfQueues: 1 } })).toEqual({
      code: 22,
      description: 'queued',
      result: '123',
      properties: { numberOfQueues: 1 },
    });
    expect(readMjSubmitReply('nope')).toBeNull();
    const tasks = readMjTaskList([{ id: 'a', status: 'SUCCESS', progress: '100%', imageUrl: 'u', submitTime: 5 }, { status: 'x' }, null]);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ id: 'a', status: 'SUCCESS', progress: '100%', imageUrl: 'u', submitTime: 5, failReason: '' });
  });
});
