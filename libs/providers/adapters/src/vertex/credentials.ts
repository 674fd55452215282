import { UpstreamError } from '@your-api/providers-core';

/** Where Google service-account keys exchange their signed JWT for an access token, when the key names none. */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** The fields of a Google service-account key file the gateway uses. */
export interface VertexServiceAccount {
  projectId: string;
  clientEmail: string;
  /** PKCS#8 PEM. */
  privateKey: string;
  privateKeyId: string;
  tokenUri: string;
  /** Not a Google field: an operator may put the channel's region in the key instead of `other`. */
  region: string;
}

/**
 * A Vertex AI channel key: a service-account JSON (New API's default `vertex_key_type: json`), or
 * an express-mode API key (anything that is not a JSON object; Gemini models only).
 */
export type VertexCredentials = { kind: 'service-account'; account: VertexServiceAccount } | { kind: 'api-key'; apiKey: string };

function invalidKey(reason: string): UpstreamError {
  // Another channel may be configured correctly, so the request may still be served.
  return new UpstreamError(500, 'channel/invalid-key', `The channel key is not a usable Vertex AI service account: ${reason}`, true);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Reads a channel key; throws an UpstreamError (never quoting the key) when a JSON key lacks a field. */
export function readVertexCredentials(key: string): VertexCredentials {
  const trimmed = key.trim();
  if (!trimmed.startsWith('{')) return { kind: 'api-key', apiKey: trimmed };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw invalidKey('the JSON does not parse');
  }
  const json = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const account: VertexServiceAccount = {
    projectId: text(json.project_id),
    clientEmail: text(json.client_email),
    // Keys pasted through some UIs arrive with their newlines escaped twice.
    privateKey: text(json.private_key).replace(/\\n/g, '\n'),
    privateKeyId: text(json.private_key_id),
    tokenUri: text(json.token_uri) || GOOGLE_TOKEN_URI,
    region: text(json.region),
  };
  const required: [string, string][] = [
    ['project_id', account.projectId],
    ['client_email', account.clientEmail],
    ['private_key', account.privateKey],
  ];
  const missing = required.filter(([, value]) => !value).map(([field]) => field);
  if (missing.length > 0) throw invalidKey(`missing ${missing.join(', ')}`);
  return { kind: 'service-account', account };
}
