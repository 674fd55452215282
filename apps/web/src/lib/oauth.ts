/**
 * OAuth sign-in as New API's web app starts it: the buttons /api/status switches on, and the
 * provider's authorize URL for a `state` from GET /api/oauth/state. The provider sends the browser
 * back to /oauth/<provider>?code&state, which hands both to GET /api/oauth/<provider>.
 */
export type OAuthProvider = 'github' | 'oidc' | 'linuxdo';

export interface OAuthButton {
  provider: OAuthProvider;
  /** Shown on the button; OIDC may carry the operator's own name. */
  label: string;
}

const str = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** The redirect-based providers enabled in /api/status (each needs its client id, OIDC its endpoint). */
export function oauthButtons(status: Record<string, unknown> | null | undefined): OAuthButton[] {
  if (!status) return [];
  const buttons: OAuthButton[] = [];
  if (status['github_oauth'] === true && str(status['github_client_id'])) buttons.push({ provider: 'github', label: 'GitHub' });
  if (status['oidc_enabled'] === true && str(status['oidc_client_id']) && str(status['oidc_authorization_endpoint'])) {
    buttons.push({ provider: 'oidc', label: str(status['oidc_display_name']) || 'OIDC' });
  }
  if (status['linuxdo_oauth'] === true && str(status['linuxdo_client_id'])) buttons.push({ provider: 'linuxdo', label: 'LinuxDO' });
  return buttons;
}

/** The bot name of the Telegram login widget, or '' when Telegram sign-in is off. */
export function telegramBotName(status: Record<string, unknown> | null | undefined): string {
  if (!status || status['telegram_oauth'] !== true) return '';
  return str(status['telegram_bot_name']);
}

/** Where the browser goes to sign in with a provider; `origin` is this web app's origin. */
export function authorizeUrl(provider: OAuthProvider, status: Record<string, unknown>, state: string, origin: string): string {
  switch (provider) {
    case 'github': {
      const params = new URLSearchParams({ client_id: str(status['github_client_id']), state, scope: 'user:email' });
      return `https://github.com/login/oauth/authorize?${params}`;
    }
    case 'linuxdo': {
      const params = new URLSearchParams({ response_type: 'code', client_id: str(status['linuxdo_client_id']), state });
      return `https://connect.linux.do/oauth2/authorize?${params}`;
    }
    case 'oidc': {
      const endpoint = new URL(str(status['oidc_authorization_endpoint']));
      endpoint.searchParams.set('client_id', str(status['oidc_client_id']));
      endpoint.searchParams.set('redirect_uri', `${origin}/oauth/oidc`);
      endpoint.searchParams.set('response_type', 'code');
      endpoint.searchParams.set('scope', 'openid profile email');
      endpoint.searchParams.set('state', state);
      return endpoint.toString();
    }
  }
}

export function isOAuthProvider(value: string): value is OAuthProvider {
  return value === 'github' || value === 'oidc' || value === 'linuxdo';
}
