import { sunoClips, taskStatusBadge } from './tasks';

describe('task page helpers', () => {
  it('reads Suno clips and lyrics', () => {
    expect(sunoClips(JSON.stringify([{ id: 'c', title: 't', audio_url: 'a.mp3', image_url: 'i.png', metadata: { prompt: 'la la' } }]))).toEqual([
      { id: 'c', title: 't', audioUrl: 'a.mp3', imageUrl: 'i.png', lyrics: 'la la' },
    ]);
    expect(sunoClips(JSON.stringify({ id: 'l', title: 'rain', text: 'drops' }))).toEqual([{ id: 'l', title: 'rain', audioUrl: '', imageUrl: '', lyrics: 'drops' }]);
    expect(sunoClips('not json')).toEqual([]);
    expect(sunoClips(null)).toEqual([]);
  });

  it('colours statuses', () => {
    expect(taskStatusBadge('SUCCESS')).toBe('badge badge-ok');
    expect(taskStatusBadge('FAILURE')).toBe('badge badge-off');
    expect(taskStatusBadge('IN_PROGRESS')).toBe('badge badge-warn');
  });
});
