import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { OptionsService } from '../options/options.service';

/** Cloudflare's siteverify; TURNSTILE_VERIFY_URL overrides it (tests point it at a fake). */
export const TURNSTILE_VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

/** How long siteverify may take before the request is refused. */
const VERIFY_TIMEOUT_MS = 10_000;

/**
 * New API's TurnstileCheck (middleware/turnstile-check.go): while `TurnstileCheckEnabled` is on,
 * the guarded routes need `?turnstile=<token>`, which is checked with Cloudflare by POSTing the
 * form `secret=TurnstileSecretKey, response=<token>, remoteip=<client ip>`. Each request needs its
 * own token (Cloudflare accepts a token once). Fails closed: siteverify unreachable = refused.
 */
@Injectable()
export class TurnstileService {
  private readonly logger = new Logger('Turnstile');

  constructor(
    private readonly options: OptionsService,
    private readonly config: AppConfig,
  ) {}

  enabled(): boolean {
    return this.options.getBool('TurnstileCheckEnabled');
  }

  /** Throws the refusal when the check is on and `token` does not verify. */
  async check(token: string, remoteIp: string): Promise<void> {
    if (!this.enabled()) return;
    if (!token) throw ApiError.forbidden('turnstile/missing-token', 'The Turnstile check is missing: complete the human verification and try again');
    const form = new URLSearchParams({ secret: this.options.get('TurnstileSecretKey'), response: token, remoteip: remoteIp });
    const url = this.config.env.TURNSTILE_VERIFY_URL.trim() || TURNSTILE_VERIFY_URL;
    let outcome: { success?: unknown; 'error-codes'?: unknown };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      outcome = (await response.json()) as typeof outcome;
    } catch (error) {
      // The form (and so the secret) is never logged: only what went wrong with the call.
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${VERIFY_TIMEOUT_MS} ms` : error instanceof Error ? error.message : String(error);
      this.logger.warn(`Turnstile siteverify failed: ${reason}`);
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'turnstile/unavailable', 'The Turnstile check could not be completed; try again later');
    }
    if (outcome.success !== true) {
      const codes = Array.isArray(outcome['error-codes']) ? outcome['error-codes'].filter((code) => typeof code === 'string').join(', ') : '';
      if (codes.includes('invalid-input-secret')) this.logger.warn('Turnstile siteverify rejected the secret key (TurnstileSecretKey)');
      throw ApiError.forbidden('turnstile/failed', `The Turnstile check failed${codes ? ` (${codes})` : ''}: complete the human verification again`);
    }
  }
}
