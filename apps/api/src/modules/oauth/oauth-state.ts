import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { randomAlphanumeric } from '../users/random-keys';

/** What a login started through GET /api/oauth/state means to do when the provider sends the user back. */
export type OAuthIntent = 'auto' | 'login' | 'bind';

declare module '../../common/auth' {
  interface SessionData {
    /** The state handed to the provider (New API: 12 random characters in the session). */
    oauth_state?: string;
    /** When the state was issued, in ms: an old one is refused. */
    oauth_state_at?: number;
    /** The inviter's code given with the state (`?aff=`), applied if the login registers a user. */
    oauth_aff?: string;
    oauth_intent?: OAuthIntent;
  }
}

const STATE_LENGTH = 12;
/** A login left this long at the provider must start again. */
export const STATE_MAX_AGE_MS = 10 * 60_000;

/** Issues a new state in the session (replacing any earlier one) and returns it. */
export function issueOAuthState(req: Request, aff: string, intent: OAuthIntent): string {
  const state = randomAlphanumeric(STATE_LENGTH);
  const session = (req.session ??= {});
  session.oauth_state = state;
  session.oauth_state_at = Date.now();
  session.oauth_intent = intent;
  if (aff) session.oauth_aff = aff;
  else delete session.oauth_aff;
  return state;
}

export type ConsumedState = { ok: true; aff: string; intent: OAuthIntent } | { ok: false };

/**
 * Takes the state out of the session (it is good for one callback, matching or not) and compares
 * it with the one the provider sent back.
 */
export function consumeOAuthState(req: Request, returned: string): ConsumedState {
  const session = req.session;
  if (!session) return { ok: false };
  const { oauth_state: expected, oauth_state_at: issuedAt, oauth_aff: aff, oauth_intent: intent } = session;
  delete session.oauth_state;
  delete session.oauth_state_at;
  delete session.oauth_aff;
  delete session.oauth_intent;
  if (!expected || !returned) return { ok: false };
  const returnedBytes = Buffer.from(returned);
  const expectedBytes = Buffer.from(expected);
  if (returnedBytes.length !== expectedBytes.length || !timingSafeEqual(returnedBytes, expectedBytes)) return { ok: false };
  if (typeof issuedAt !== 'number' || Date.now() - issuedAt > STATE_MAX_AGE_MS) return { ok: false };
  return { ok: true, aff: aff ?? '', intent: intent ?? 'auto' };
}
