import { UpstreamError } from '@your-api/providers-core';

/**
 * A Bedrock channel key as New API writes it: `AK|SK|region` (IAM access key, requests signed with
 * SigV4) or `apiKey|region` (a Bedrock API key, sent as a bearer token).
 */
export type BedrockCredentials =
  | { kind: 'access-key'; accessKeyId: string; secretAccessKey: string; region: string }
  | { kind: 'api-key'; apiKey: string; region: string };

/** Reads a channel key; throws an UpstreamError (never quoting the key) when it has the wrong shape. */
export function readBedrockCredentials(key: string): BedrockCredentials {
  const parts = key.trim().split('|').map((part) => part.trim());
  const region = parts.at(-1) ?? '';
  // The region becomes part of a host name.
  const validRegion = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(region);
  if (parts.length === 3 && parts[0] && parts[1] && validRegion) {
    return { kind: 'access-key', accessKeyId: parts[0], secretAccessKey: parts[1], region };
  }
  if (parts.length === 2 && parts[0] && validRegion) return { kind: 'api-key', apiKey: parts[0], region };
  throw new UpstreamError(500, 'channel/invalid-key', 'The channel key is not a Bedrock key of the form AK|SK|region or apiKey|region', true);
}
