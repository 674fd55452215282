import { announcementsOf, chatLinksOf, fillChatLink, headerNavVisibility, vendorsOf } from './site-content';

describe('headerNavVisibility', () => {
  const all = { home: true, console: true, pricing: true, docs: true, about: true };

  it('shows every link when the option is empty, unreadable or not an object', () => {
    expect(headerNavVisibility('')).toEqual(all);
    expect(headerNavVisibility('{oops')).toEqual(all);
    expect(headerNavVisibility('[]')).toEqual(all);
    expect(headerNavVisibility(undefined)).toEqual(all);
  });

  it('hides links set to false or {enabled: false}, from JSON text or an object', () => {
    expect(headerNavVisibility('{"docs": false, "pricing": {"enabled": false, "requireAuth": true}, "home": true}')).toEqual({
      ...all,
      docs: false,
      pricing: false,
    });
    expect(headerNavVisibility({ pricing: { enabled: true, requireAuth: true }, console: false })).toEqual({ ...all, console: false });
  });
});

describe('announcementsOf', () => {
  const status = (announcements: unknown, enabled = true) => ({ announcements_enabled: enabled, announcements });

  it('returns the entries with text, newest first, unknown types as default', () => {
    const list = announcementsOf(
      status([
        { id: 1, content: 'old', publishDate: '2024-01-01T00:00:00Z', type: 'warning' },
        { id: 2, content: '  ', publishDate: '2024-06-01T00:00:00Z' },
        { id: 3, content: 'new', publishDate: '2024-05-01T00:00:00Z', type: 'shouting', extra: 'x' },
        'junk',
      ]),
    );
    expect(list).toEqual([
      { id: '3', content: 'new', publishDate: '2024-05-01T00:00:00Z', type: 'default', extra: 'x' },
      { id: '1', content: 'old', publishDate: '2024-01-01T00:00:00Z', type: 'warning', extra: '' },
    ]);
  });

  it('reads JSON text, honours the switch and the limit', () => {
    expect(announcementsOf(status('[{"content": "hi"}]'))).toEqual([{ id: '0', content: 'hi', publishDate: '', type: 'default', extra: '' }]);
    expect(announcementsOf(status([{ content: 'hi' }], false))).toEqual([]);
    expect(announcementsOf(status('{oops'))).toEqual([]);
    expect(announcementsOf(null)).toEqual([]);
    expect(announcementsOf(status([{ content: 'a' }, { content: 'b' }, { content: 'c' }]), 2)).toHaveLength(2);
  });
});

describe('vendorsOf', () => {
  it('counts models per vendor, most first, ties by name, blank vendors left out', () => {
    expect(vendorsOf([{ owner_by: 'openai' }, { owner_by: 'anthropic' }, { owner_by: '' }, { owner_by: 'openai' }, { owner_by: 'google' }])).toEqual([
      { name: 'openai', models: 2 },
      { name: 'anthropic', models: 1 },
      { name: 'google', models: 1 },
    ]);
  });
});

describe('chat links', () => {
  it('reads New API Chats (a list of one-entry objects, or JSON text) in order', () => {
    expect(chatLinksOf([{ NextChat: 'https://chat.example/#/?key={key}' }, { Blank: ' ' }, { Lobe: 'https://lobe.example' }])).toEqual([
      { name: 'NextChat', url: 'https://chat.example/#/?key={key}' },
      { name: 'Lobe', url: 'https://lobe.example' },
    ]);
    expect(chatLinksOf('{"A": "https://a.example"}')).toEqual([{ name: 'A', url: 'https://a.example' }]);
    expect(chatLinksOf('nope')).toEqual([]);
    expect(chatLinksOf(null)).toEqual([]);
  });

  it('fills the key and the address URL-encoded, and follows only http(s) links', () => {
    expect(fillChatLink('https://chat.example/?key={key}&url={address}', { key: 'sk-abc', address: 'https://gw.example:8443/x' })).toBe(
      'https://chat.example/?key=sk-abc&url=https%3A%2F%2Fgw.example%3A8443%2Fx',
    );
    expect(fillChatLink('javascript:alert("{key}")', { key: 'sk-abc', address: '' })).toBeNull();
  });
});
