/** The HTTP calls of the task relay and poller: JSON in, JSON (or nothing) out, with a deadline, through the channel's proxy. */
import { Dispatcher, fetch } from 'undici';

/** New API's Midjourney/Suno upstream timeout. */
export const UPSTREAM_TIMEOUT_MS = 60_000;

export interface JsonReply {
  status: number;
  /** The parsed body; undefined when it was empty or not JSON. */
  json: unknown;
}

/** Where and how a task call goes: the channel key picked for it and its proxy's connection pool. */
export interface TaskUpstream {
  key: string;
  dispatcher: Dispatcher;
}

export async function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number, dispatcher: Dispatcher): Promise<JsonReply> {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error', dispatcher });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}

/** GET of a binary body (the MJ image proxy). */
export async function getBytes(url: string, timeoutMs: number, dispatcher: Dispatcher): Promise<{ status: number; contentType: string | null; body: Buffer }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), dispatcher });
  return { status: response.status, contentType: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}
