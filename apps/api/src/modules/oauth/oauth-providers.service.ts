import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { OptionsService } from '../options/options.service';
import { callProvider, providerErrorDetail, type ProviderReply } from './provider-http';
import { type ExternalIdentity, githubIdentity, linuxdoIdentity, oidcIdentity } from './provider-identities';

/** The redirect-based providers: a code from the provider's authorize page is traded for the user. */
export type RedirectProvider = 'github' | 'oidc' | 'linuxdo';

/** A fetched discovery document is reused this long (the operator may change the provider's endpoints). */
const DISCOVERY_TTL_MS = 10 * 60_000;
/** A failed discovery is not retried for this long (/api/status asks on every page load). */
const DISCOVERY_FAILURE_TTL_MS = 30_000;
/** /api/status waits at most this long for a discovery document it has not cached yet. */
const STATUS_DISCOVERY_WAIT_MS = 5_000;

interface OidcEndpoints {
  token: string;
  userInfo: string;
}

interface DiscoveredEndpoints extends OidcEndpoints {
  authorization: string;
}

/**
 * The OAuth 2.0 authorization-code exchange for GitHub, LinuxDO and a generic OIDC provider: code
 * → access token → user info. Every endpoint comes from options. Codes, tokens and secrets are
 * only sent to the provider, never logged or echoed.
 */
@Injectable()
export class OAuthProvidersService {
  /** Discovery documents by URL: the fetch (shared by concurrent callers) and when to fetch again. */
  private readonly discovery = new Map<string, { endpoints: Promise<DiscoveredEndpoints>; expires: number }>();

  constructor(private readonly options: OptionsService) {}

  /** The display name used in messages. */
  static label(provider: RedirectProvider): string {
    return provider === 'github' ? 'GitHub' : provider === 'linuxdo' ? 'LinuxDO' : 'the OIDC provider';
  }

  enabled(provider: RedirectProvider): boolean {
    switch (provider) {
      case 'github':
        return this.options.getBool('GitHubOAuthEnabled');
      case 'linuxdo':
        return this.options.getBool('LinuxDOOAuthEnabled');
      case 'oidc':
        return this.options.getBool('oidc.enabled');
    }
  }

  identify(provider: RedirectProvider, code: string): Promise<ExternalIdentity> {
    switch (provider) {
      case 'github':
        return this.github(code);
      case 'linuxdo':
        return this.linuxdo(code);
      case 'oidc':
        return this.oidc(code);
    }
  }

  /** GitHub: JSON `{client_id, client_secret, code}`; GitHub reports a bad code as HTTP 200 `{error}`. */
  private async github(code: string): Promise<ExternalIdentity> {
    const tokenReply = await callProvider('GitHub', this.options.get('GitHubTokenEndpoint'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ client_id: this.options.get('GitHubClientId'), client_secret: this.options.get('GitHubClientSecret'), code }),
    });
    const accessToken = this.accessToken('GitHub', tokenReply);
    const user = await this.userInfo('GitHub', this.options.get('GitHubUserEndpoint'), accessToken, { accept: 'application/vnd.github+json' });
    return this.identity('GitHub', githubIdentity(user));
  }

  /** LinuxDO Connect: form body, client credentials as HTTP Basic (New API's request). */
  private async linuxdo(code: string): Promise<ExternalIdentity> {
    const credentials = Buffer.from(`${this.options.get('LinuxDOClientId')}:${this.options.get('LinuxDOClientSecret')}`).toString('base64');
    const tokenReply = await callProvider('LinuxDO', this.options.get('LinuxDOTokenEndpoint'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${credentials}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${this.serverAddress()}/api/oauth/linuxdo` }).toString(),
    });
    const accessToken = this.accessToken('LinuxDO', tokenReply);
    const user = await this.userInfo('LinuxDO', this.options.get('LinuxDOUserEndpoint'), accessToken);
    return this.identity('LinuxDO', linuxdoIdentity(user));
  }

  /** OIDC: client_secret_post to the token endpoint, then the userinfo endpoint (claims over TLS from the provider). */
  private async oidc(code: string): Promise<ExternalIdentity> {
    const endpoints = await this.oidcEndpoints();
    const tokenReply = await callProvider('the OIDC provider', endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${this.serverAddress()}/oauth/oidc`,
        client_id: this.options.get('oidc.client_id'),
        client_secret: this.options.get('oidc.client_secret'),
      }).toString(),
    });
    const accessToken = this.accessToken('the OIDC provider', tokenReply);
    const claims = await this.userInfo('the OIDC provider', endpoints.userInfo, accessToken);
    return this.identity('the OIDC provider', oidcIdentity(claims));
  }

  /** The endpoints set in options; blank ones are read from the `oidc.well_known` discovery document. */
  private async oidcEndpoints(): Promise<OidcEndpoints> {
    const configured = { token: this.options.get('oidc.token_endpoint').trim(), userInfo: this.options.get('oidc.user_info_endpoint').trim() };
    const wellKnown = this.options.get('oidc.well_known').trim();
    if ((configured.token && configured.userInfo) || !wellKnown) return configured;
    const discovered = await this.discover(wellKnown);
    return { token: configured.token || discovered.token || '', userInfo: configured.userInfo || discovered.userInfo || '' };
  }

  /**
   * The authorization endpoint for the login button (/api/status `oidc_authorization_endpoint`): the
   * option, else the `oidc.well_known` document's (fetched once, cached). Empty when OIDC is off or
   * discovery fails; never throws, and waits at most a few seconds for an uncached document.
   */
  async oidcAuthorizationEndpoint(): Promise<string> {
    const configured = this.options.get('oidc.authorization_endpoint').trim();
    if (configured || !this.options.getBool('oidc.enabled')) return configured;
    const wellKnown = this.options.get('oidc.well_known').trim();
    if (!wellKnown) return '';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(''), STATUS_DISCOVERY_WAIT_MS)));
    try {
      return await Promise.race([this.discover(wellKnown).then((endpoints) => endpoints.authorization, () => ''), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private discover(url: string): Promise<DiscoveredEndpoints> {
    const cached = this.discovery.get(url);
    if (cached && cached.expires > Date.now()) return cached.endpoints;
    const entry = { endpoints: this.fetchDiscovery(url), expires: Date.now() + DISCOVERY_TTL_MS };
    this.discovery.set(url, entry);
    entry.endpoints.catch(() => {
      entry.expires = Math.min(entry.expires, Date.now() + DISCOVERY_FAILURE_TTL_MS);
    });
    return entry.endpoints;
  }

  private async fetchDiscovery(url: string): Promise<DiscoveredEndpoints> {
    const reply = await callProvider('the OIDC discovery document', url, { method: 'GET', headers: { accept: 'application/json' } });
    const token = reply.json.token_endpoint;
    const userInfo = reply.json.userinfo_endpoint;
    const authorization = reply.json.authorization_endpoint;
    if (reply.status !== 200 || typeof token !== 'string' || typeof userInfo !== 'string') {
      throw new ApiError(HttpStatus.BAD_GATEWAY, 'oauth/discovery-failed', 'The OIDC discovery document has no token_endpoint and userinfo_endpoint');
    }
    return { token, userInfo, authorization: typeof authorization === 'string' && /^https?:\/\//i.test(authorization) ? authorization : '' };
  }

  private accessToken(provider: string, reply: ProviderReply): string {
    const token = reply.json.access_token;
    if (reply.status >= 500) {
      throw new ApiError(HttpStatus.BAD_GATEWAY, 'oauth/provider-error', `${provider} failed to exchange the code (${providerErrorDetail(reply)})`);
    }
    if (reply.status !== 200 || typeof token !== 'string' || !token) {
      throw ApiError.badRequest('oauth/code-rejected', `${provider} refused the login code (${providerErrorDetail(reply)}); start the login again`);
    }
    return token;
  }

  private async userInfo(provider: string, url: string, accessToken: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const reply = await callProvider(provider, url, { method: 'GET', headers: { accept: 'application/json', ...headers, authorization: `Bearer ${accessToken}` } });
    if (reply.status !== 200) {
      throw new ApiError(HttpStatus.BAD_GATEWAY, 'oauth/user-info-failed', `${provider} did not return the user (${providerErrorDetail(reply)})`);
    }
    return reply.json;
  }

  private identity(provider: string, identity: ExternalIdentity | null): ExternalIdentity {
    if (!identity) throw new ApiError(HttpStatus.BAD_GATEWAY, 'oauth/user-info-failed', `${provider} returned a user without an id`);
    return identity;
  }

  private serverAddress(): string {
    return this.options.get('ServerAddress').trim().replace(/\/+$/, '');
  }
}
