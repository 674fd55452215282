import { createHash } from 'node:crypto';
import type { VertexServiceAccount } from '@your-api/provider-adapters';
import { UpstreamError } from '@your-api/providers-core';
import { Dispatcher, request } from 'undici';

/** The OAuth scope Vertex AI accepts. */
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Google accepts assertions valid for at most an hour. */
const ASSERTION_LIFETIME_SECONDS = 3600;
/** A cached token is replaced this long before it expires, so no request goes out with a dying one. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;
const MAX_TOKEN_BODY = 64 * 1024;

export interface AccessToken {
  accessToken: string;
  expiresInSeconds: number;
}

/**
 * A service account's signed JWT assertion (RS256) for the OAuth 2.0 JWT bearer grant: issued by
 * the account, for the cloud-platform scope, addressed to the key's token endpoint.
 */
export async function signServiceAccountAssertion(account: VertexServiceAccount, nowSeconds: number): Promise<string> {
  // jose is published as ESM only: loaded on first use, so modules importing this file stay
  // loadable where require(esm) is unavailable (jest), and start-up does not pay for it.
  const { importPKCS8, SignJWT } = await import('jose');
  const key = await importPKCS8(account.privateKey, 'RS256').catch(() => {
    throw new UpstreamError(500, 'channel/invalid-key', "The Vertex AI service account's private key cannot be read", true);
  });
  const header = account.privateKeyId ? { alg: 'RS256', typ: 'JWT', kid: account.privateKeyId } : { alg: 'RS256', typ: 'JWT' };
  return new SignJWT({ scope: CLOUD_PLATFORM_SCOPE })
    .setProtectedHeader(header)
    .setIssuer(account.clientEmail)
    .setAudience(account.tokenUri)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ASSERTION_LIFETIME_SECONDS)
    .sign(key);
}

/**
 * Exchanges a signed assertion for an access token at the key's `token_uri`. A refusal (bad key,
 * deleted account) is an authentication failure of the channel; the message carries Google's
 * error code and description, never the assertion or the key.
 */
export async function exchangeAssertion(tokenUri: string, assertion: string, dispatcher: Dispatcher): Promise<AccessToken> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      dispatcher,
      headersTimeout: TOKEN_REQUEST_TIMEOUT_MS,
      bodyTimeout: TOKEN_REQUEST_TIMEOUT_MS,
      signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
    });
  } catch {
    throw new UpstreamError(502, 'upstream/unreachable', 'Could not reach the Google token endpoint of the Vertex AI channel', true);
  }
  const text = await readLimited(response);
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
  } catch {
    json = {};
  }
  if (response.statusCode >= 400) {
    const code = typeof json.error === 'string' ? json.error : '';
    const description = typeof json.error_description === 'string' ? json.error_description : '';
    const detail = [code, description].filter(Boolean).join(': ') || `HTTP ${response.statusCode}`;
    if (response.statusCode >= 500) {
      throw new UpstreamError(502, 'upstream/error', `The Google token endpoint failed (${detail})`, true);
    }
    throw new UpstreamError(401, 'upstream/error', `Google refused the Vertex AI service account (${detail})`, true, 'authentication_error', code);
  }
  const accessToken = typeof json.access_token === 'string' ? json.access_token : '';
  if (!accessToken) throw new UpstreamError(502, 'upstream/bad-response', 'The Google token endpoint answered without an access token', true);
  const expiresIn = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : ASSERTION_LIFETIME_SECONDS;
  return { accessToken, expiresInSeconds: expiresIn };
}

async function readLimited(response: Dispatcher.ResponseData): Promise<string> {
  let text = '';
  for await (const chunk of response.body) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > MAX_TOKEN_BODY) {
      response.body.destroy();
      break;
    }
  }
  return text;
}

/** The whole assertion-and-exchange round trip for one account. */
export async function fetchAccessToken(account: VertexServiceAccount, dispatcher: Dispatcher): Promise<AccessToken> {
  const assertion = await signServiceAccountAssertion(account, Math.floor(Date.now() / 1000));
  return exchangeAssertion(account.tokenUri, assertion, dispatcher);
}

interface CachedToken {
  accessToken: string;
  /** When to stop using it (epoch ms): the expiry minus the refresh margin. */
  useUntil: number;
}

/**
 * Access tokens per service account, reused until shortly before they expire. Concurrent
 * requests for an account without a token share one exchange; a failed exchange is not cached.
 * Entries are keyed by a hash of the account, so a key edited on the channel gets its own token.
 */
export class VertexTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly fetchToken: (account: VertexServiceAccount, dispatcher: Dispatcher) => Promise<AccessToken> = fetchAccessToken,
    private readonly now: () => number = Date.now,
  ) {}

  async accessToken(account: VertexServiceAccount, dispatcher: Dispatcher): Promise<string> {
    const cacheKey = createHash('sha256').update(`${account.tokenUri}\n${account.clientEmail}\n${account.privateKey}`).digest('hex');
    const cached = this.tokens.get(cacheKey);
    if (cached && cached.useUntil > this.now()) return cached.accessToken;
    const inFlight = this.pending.get(cacheKey);
    if (inFlight) return inFlight;
    const exchange = this.fetchToken(account, dispatcher)
      .then(({ accessToken, expiresInSeconds }) => {
        const lifetimeMs = expiresInSeconds * 1000;
        // Short-lived tokens are used for half their life rather than not at all.
        const useUntil = this.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
        this.tokens.set(cacheKey, { accessToken, useUntil });
        return accessToken;
      })
      .finally(() => this.pending.delete(cacheKey));
    this.pending.set(cacheKey, exchange);
    return exchange;
  }
}
