import { OPENAI_ENDPOINT_PATHS, OpenAiEndpoint } from '../openai-compatible/endpoints';

/**
 * Azure OpenAI serves the OpenAI wire format from per-deployment URLs:
 * `{base}/openai/deployments/{deployment}/chat/completions?api-version=…`, authenticated by an
 * `api-key` header. The deployment is the model name without dots (Azure forbids them in
 * deployment names, so `gpt-3.5-turbo` is deployed as `gpt-35-turbo`), as New API does.
 */
export function azureDeploymentName(model: string): string {
  return model.replace(/\./g, '');
}

export function azureUpstreamUrl(baseUrl: string, model: string, endpoint: OpenAiEndpoint | string, apiVersion: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const path = (OPENAI_ENDPOINT_PATHS as Record<string, string>)[endpoint] ?? endpoint;
  const operation = path.replace(/^\/v1\//, '');
  return `${base}/openai/deployments/${encodeURIComponent(azureDeploymentName(model))}/${operation}?api-version=${encodeURIComponent(apiVersion)}`;
}

/** The channel's `other` column holds its api-version in New API; otherwise the operator's default. */
export function azureApiVersion(channelOther: string | null | undefined, fallback: string): string {
  const own = (channelOther ?? '').trim();
  return own || fallback;
}
