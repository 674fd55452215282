/** The HTTP calls of the task relay and poller: JSON in, JSON (or nothing) out, with a deadline. */

/** New API's Midjourney/Suno upstream timeout. */
export const UPSTREAM_TIMEOUT_MS = 60_000;

export interface JsonReply {
  status: number;
  /** The parsed body; undefined when it was empty or not JSON. */
  json: unknown;
}

export async function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<JsonReply> {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}
