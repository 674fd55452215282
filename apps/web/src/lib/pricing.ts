import { QuotaType, USD_PER_MILLION_TOKENS_AT_RATIO_1, type PricingModelView } from '@your-api/contracts';

export interface ModelPrice {
  perCall: boolean;
  /** USD per 1M input tokens (ratio models). */
  input: number;
  /** USD per 1M output tokens (ratio models). */
  output: number;
  /** USD per call (per-call models). */
  call: number;
}

/**
 * What a model costs in a group: model ratio × $2 per 1M input tokens, times the completion
 * ratio for output; a per-call model costs its price. Both scale with the group ratio.
 */
export function modelPrice(model: PricingModelView, groupRatio: number): ModelPrice {
  if (model.quota_type === QuotaType.PerCall) {
    return { perCall: true, input: 0, output: 0, call: model.model_price * groupRatio };
  }
  const input = model.model_ratio * USD_PER_MILLION_TOKENS_AT_RATIO_1 * groupRatio;
  return { perCall: false, input, output: input * model.completion_ratio, call: 0 };
}

/** `$1.25`, `$0.075`, `$0.0001`: enough digits to be exact for typical prices. */
export function formatUsd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
}

/** The detail page's path of a model: `/pricing/<name>`, each `/`-separated part encoded (names like `meta/llama-3`). */
export function modelDetailPath(modelName: string): string {
  return `/pricing/${modelName.split('/').map(encodeURIComponent).join('/')}`;
}

/** The model name back from the catch-all route's segments. */
export function modelNameFromSegments(segments: readonly string[]): string {
  return segments
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

/** A ready-to-paste curl request for a model, in the protocol of its first endpoint type. */
export function exampleRequest(baseUrl: string, modelName: string, endpointTypes: readonly string[]): string {
  const base = baseUrl.replace(/\/+$/, '');
  const type = endpointTypes[0] ?? 'openai';
  const json = (body: unknown) => JSON.stringify(body, null, 2).replace(/'/g, `'\\''`);
  switch (type) {
    case 'anthropic':
      return [
        `curl ${base}/v1/messages \\`,
        `  -H "x-api-key: $API_KEY" \\`,
        `  -H "anthropic-version: 2023-06-01" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${json({ model: modelName, max_tokens: 256, messages: [{ role: 'user', content: 'Hello!' }] })}'`,
      ].join('\n');
    case 'gemini':
      return [
        `curl "${base}/v1beta/models/${modelName}:generateContent" \\`,
        `  -H "x-goog-api-key: $API_KEY" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${json({ contents: [{ parts: [{ text: 'Hello!' }] }] })}'`,
      ].join('\n');
    case 'embeddings':
      return [
        `curl ${base}/v1/embeddings \\`,
        `  -H "Authorization: Bearer $API_KEY" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${json({ model: modelName, input: 'Hello!' })}'`,
      ].join('\n');
    case 'image-generation':
      return [
        `curl ${base}/v1/images/generations \\`,
        `  -H "Authorization: Bearer $API_KEY" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${json({ model: modelName, prompt: 'A lighthouse at dawn', n: 1 })}'`,
      ].join('\n');
    default:
      return [
        `curl ${base}/v1/chat/completions \\`,
        `  -H "Authorization: Bearer $API_KEY" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${json({ model: modelName, messages: [{ role: 'user', content: 'Hello!' }] })}'`,
      ].join('\n');
  }
}
