import { buildSunoFetch, buildSunoSubmit, readSunoAction, readSunoSubmitReply, readSunoTasks, sunoModelName, sunoSubmitProblem } from './suno';

describe('Suno wire format', () => {
  it('reads actions and names their models', () => {
    expect(readSunoAction('MUSIC')).toBe('music');
    expect(readSunoAction('lyrics')).toBe('lyrics');
    expect(readSunoAction('video')).toBeNull();
    expect(sunoModelName('music')).toBe('suno_music');
  });

  it('refuses bodies New API refuses', () => {
    expect(sunoSubmitProblem('lyrics', {})).toBe('prompt_empty');
    expect(sunoSubmitProblem('music', { continue_clip_id: 'c' })).toBe('task_id_empty');
    expect(sunoSubmitProblem('music', { prompt: 'p' })).toBeNull();
  });

  it('builds submit and fetch requests', () => {
    expect(buildSunoSubmit('http://s/', 'music', 'k', { prompt: 'p' })).toEqual({
      url: 'http://s/suno/submit/MUSIC',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer k' },
      body: '{"prompt":"p","mv":"chirp-v3-0"}',
    });
    expect(JSON.parse(buildSunoSubmit('http://s', 'lyrics', 'k', { prompt: 'p' }).body)).toEqual({ prompt: 'p' });
    expect(buildSunoFetch('http://s', 'k', ['a', 'b']).body).toBe('{"ids":["a","b"]}');
  });

  it('reads replies', () => {
    expect(readSunoSubmitReply({ code: 'success', data: 'id-1' })).toEqual({ taskId: 'id-1' });
    expect(readSunoSubmitReply({ code: 'internal_error', message: 'down' })).toEqual({ error: 'down' });
    expect(readSunoSubmitReply({ code: 'success' })).toEqual({ error: 'the upstream answered without a task id' });
    const tasks = readSunoTasks({ code: 'success', data: [{ task_id: 't', status: 'SUCCESS', data: [1] }, { task_id: 'u', status: 'weird' }, {}] });
    expect(tasks.map((t) => [t.taskId, t.status])).toEqual([
      ['t', 'SUCCESS'],
      ['u', 'UNKNOWN'],
    ]);
    expect(readSunoTasks({ code: 'invalid_request' })).toEqual([]);
  });
});
