import { authorizeUrl, oauthButtons, telegramBotName } from './oauth';

describe('oauthButtons', () => {
  it('lists the providers that are on and configured, OIDC under its display name', () => {
    const status = {
      github_oauth: true,
      github_client_id: 'gh-client',
      oidc_enabled: true,
      oidc_client_id: 'oidc-client',
      oidc_authorization_endpoint: 'https://id.example/authorize',
      oidc_display_name: 'Company SSO',
      linuxdo_oauth: true,
      linuxdo_client_id: '',
    };
    expect(oauthButtons(status)).toEqual([
      { provider: 'github', label: 'GitHub' },
      { provider: 'oidc', label: 'Company SSO' },
    ]);
    expect(oauthButtons({ github_oauth: false, github_client_id: 'x' })).toEqual([]);
    expect(oauthButtons(null)).toEqual([]);
  });

  it('names the Telegram bot only when Telegram sign-in is on', () => {
    expect(telegramBotName({ telegram_oauth: true, telegram_bot_name: ' gw_bot ' })).toBe('gw_bot');
    expect(telegramBotName({ telegram_oauth: false, telegram_bot_name: 'gw_bot' })).toBe('');
  });
});

describe('authorizeUrl', () => {
  const status = {
    github_client_id: 'gh client',
    linuxdo_client_id: 'ld',
    oidc_client_id: 'oc',
    oidc_authorization_endpoint: 'https://id.example/authorize?tenant=t1',
  };

  it('builds the provider URLs with the state', () => {
    expect(authorizeUrl('github', status, 's1', 'https://gw.example')).toBe('https://github.com/login/oauth/authorize?client_id=gh+client&state=s1&scope=user%3Aemail');
    expect(authorizeUrl('linuxdo', status, 's2', 'https://gw.example')).toBe('https://connect.linux.do/oauth2/authorize?response_type=code&client_id=ld&state=s2');
    const oidc = new URL(authorizeUrl('oidc', status, 's3', 'https://gw.example'));
    expect(oidc.origin + oidc.pathname).toBe('https://id.example/authorize');
    expect(Object.fromEntries(oidc.searchParams)).toEqual({
      tenant: 't1',
      client_id: 'oc',
      redirect_uri: 'https://gw.example/oauth/oidc',
      response_type: 'code',
      scope: 'openid profile email',
      state: 's3',
    });
  });
});
