/**
 * An upstream call that failed. `retryable` says whether another channel may succeed where this one
 * failed (connection errors, timeouts, 429, 5xx, empty replies); the caller's own mistakes (400) are not.
 * `message` is safe to show the client: it never carries the upstream URL or key.
 */
export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    /** The provider's own error type/code, for auto-disable rules. */
    readonly upstreamType: string = '',
    readonly upstreamCode: string = '',
  ) {
    super(message);
  }

  get isRetryable(): boolean {
    return this.retryable;
  }
}

/**
 * Whether another channel may succeed after an upstream answered `status`: rate limits (429),
 * server errors (5xx, except 504/524: a gateway timeout may already have been billed upstream), and
 * the channel's own account problems (401/402/403: bad key, no balance; 404: model missing there;
 * 408). Other 4xx are the caller's own mistakes and go straight back.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 429 || status === 401 || status === 402 || status === 403 || status === 404 || status === 408) return true;
  if (status === 504 || status === 524) return false;
  return status >= 500 && status <= 599;
}
