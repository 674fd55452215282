import { githubIdentity, linuxdoIdentity, oidcIdentity } from './provider-identities';

describe('provider identities', () => {
  it('GitHub: numeric id, name or login as display name, login kept as the legacy id', () => {
    expect(githubIdentity({ id: 583231, login: 'octocat', name: 'The Octocat', email: null })).toEqual({
      id: '583231',
      displayName: 'The Octocat',
      email: '',
      legacyId: 'octocat',
    });
    expect(githubIdentity({ id: 7, login: 'noname', name: null, email: 'n@example.com' })).toMatchObject({ displayName: 'noname', email: 'n@example.com' });
    expect(githubIdentity({ login: 'no-id' })).toBeNull();
    expect(githubIdentity({ id: 0, login: 'zero' })).toBeNull();
  });

  it('LinuxDO: refuses id 0, keeps the trust level and falls back to the username', () => {
    expect(linuxdoIdentity({ id: 12, username: 'neo', name: '', trust_level: 2, active: true })).toEqual({
      id: '12',
      displayName: 'neo',
      email: '',
      trustLevel: 2,
    });
    expect(linuxdoIdentity({ id: 0, username: 'nobody' })).toBeNull();
    expect(linuxdoIdentity({ id: 5, username: 'x' })?.trustLevel).toBe(0);
  });

  it('OIDC: sub is required; name, then preferred_username', () => {
    expect(oidcIdentity({ sub: 'abc-123', preferred_username: 'alice', email: 'a@example.com' })).toEqual({
      id: 'abc-123',
      displayName: 'alice',
      email: 'a@example.com',
    });
    expect(oidcIdentity({ sub: 'abc', name: 'Alice A', preferred_username: 'alice' })?.displayName).toBe('Alice A');
    expect(oidcIdentity({ email: 'a@example.com' })).toBeNull();
    expect(oidcIdentity({ sub: 42 })).toBeNull();
  });
});
