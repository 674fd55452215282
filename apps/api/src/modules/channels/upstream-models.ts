import { ChannelType } from '@your-api/contracts';
import { ApiError } from '../../common/api-error';

export interface UpstreamModelsRequest {
  baseUrl: string;
  type: number;
  key: string;
  timeoutMs: number;
}

/**
 * GET `{base}/v1/models` with the channel key and returns the model ids (New API FetchUpstreamModels).
 * Errors name the HTTP status or the transport failure, never the key, the URL or the upstream body
 * (upstreams echo part of a wrong key in their 401 text).
 */
export async function fetchUpstreamModelIds(request: UpstreamModelsRequest): Promise<string[]> {
  const url = `${request.baseUrl.trim().replace(/\/+$/, '')}/v1/models`;
  const headers: Record<string, string> = { Authorization: `Bearer ${request.key}`, Accept: 'application/json' };
  if (request.type === ChannelType.Anthropic) {
    headers['x-api-key'] = request.key;
    headers['anthropic-version'] = '2023-06-01';
  }
  let response: Response;
  try {
    response = await fetch(url, { method: 'GET', headers, redirect: 'manual', signal: AbortSignal.timeout(request.timeoutMs) });
  } catch (error) {
    const timedOut = (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError';
    throw new ApiError(
      502,
      'channel/upstream-unreachable',
      timedOut
        ? `The upstream did not answer the model list request within ${Math.round(request.timeoutMs / 1000)} s`
        : 'Could not connect to the upstream to fetch its model list; check base_url',
    );
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw ApiError.badRequest(
      'channel/upstream-rejected-key',
      `The upstream rejected the key (HTTP ${response.status}); check that the channel key is correct`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ApiError(502, 'channel/upstream-error', `The upstream answered HTTP ${response.status} to the model list request`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(502, 'channel/upstream-bad-body', 'The upstream model list is not valid JSON');
  }
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data)) {
    throw new ApiError(502, 'channel/upstream-bad-body', 'The upstream answer has no "data" list of models');
  }
  const ids = new Set<string>();
  for (const entry of data) {
    const id = (entry as { id?: unknown })?.id;
    if (typeof id === 'string' && id.trim()) ids.add(id.trim());
  }
  return [...ids];
}
