/**
 * A stand-in for Cloudflare Turnstile's siteverify endpoint
 * (POST https://challenges.cloudflare.com/turnstile/v0/siteverify, form `secret, response, remoteip`).
 * Tokens listed in `validTokens` (or accepted by `accept`) pass when the secret matches; everything else fails with
 * Cloudflare's error codes. Every request is recorded.
 */
import { startFakeHttpServer } from './fake-http-server';

export interface TurnstileVerifyRequest {
  method: string;
  path: string;
  contentType: string;
  secret: string;
  response: string;
  remoteip: string;
}

export interface FakeTurnstile {
  /** The siteverify URL to configure (e.g. TURNSTILE_VERIFY_URL). */
  verifyUrl: string;
  readonly requests: TurnstileVerifyRequest[];
  /** Tokens that verify; add or remove freely. */
  readonly validTokens: Set<string>;
  /** Milliseconds to wait before answering (tests of the caller's timeout). */
  delayMs: number;
  close(): Promise<void>;
}

export interface FakeTurnstileOptions {
  secret: string;
  validTokens?: string[];
  /** Also accepts tokens this says yes to (e.g. ones a fake browser widget makes up). */
  accept?: (token: string) => boolean;
}

export async function startFakeTurnstile(options: FakeTurnstileOptions): Promise<FakeTurnstile> {
  const state = { delayMs: 0 };
  const requests: TurnstileVerifyRequest[] = [];
  const validTokens = new Set(options.validTokens ?? []);
  const server = await startFakeHttpServer((req, rawBody, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const form = new URLSearchParams(rawBody);
    const seen: TurnstileVerifyRequest = {
      method: req.method ?? '',
      path: url.pathname,
      contentType: String(req.headers['content-type'] ?? ''),
      secret: form.get('secret') ?? '',
      response: form.get('response') ?? '',
      remoteip: form.get('remoteip') ?? '',
    };
    requests.push(seen);
    const answer = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const reply = () => {
      if (req.method !== 'POST' || url.pathname !== '/turnstile/v0/siteverify') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"success":false}');
        return;
      }
      if (seen.secret !== options.secret) return answer({ success: false, 'error-codes': ['invalid-input-secret'] });
      if (!seen.response) return answer({ success: false, 'error-codes': ['missing-input-response'] });
      if (!validTokens.has(seen.response) && !options.accept?.(seen.response)) return answer({ success: false, 'error-codes': ['invalid-input-response'] });
      return answer({ success: true, challenge_ts: new Date().toISOString(), hostname: 'localhost', 'error-codes': [] });
    };
    if (state.delayMs > 0) setTimeout(reply, state.delayMs);
    else reply();
  });
  return {
    verifyUrl: `${server.url}/turnstile/v0/siteverify`,
    requests,
    validTokens,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    close: () => server.close(),
  };
}
