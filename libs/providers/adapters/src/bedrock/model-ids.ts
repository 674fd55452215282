/** Anthropic model names → Bedrock model ids (New API's table). */
const BEDROCK_MODEL_IDS: Readonly<Record<string, string>> = Object.freeze({
  'claude-3-sonnet-20240229': 'anthropic.claude-3-sonnet-20240229-v1:0',
  'claude-3-opus-20240229': 'anthropic.claude-3-opus-20240229-v1:0',
  'claude-3-haiku-20240307': 'anthropic.claude-3-haiku-20240307-v1:0',
  'claude-3-5-sonnet-20240620': 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  'claude-3-5-sonnet-20241022': 'anthropic.claude-3-5-sonnet-20241022-v2:0',
  'claude-3-5-haiku-20241022': 'anthropic.claude-3-5-haiku-20241022-v1:0',
  'claude-3-7-sonnet-20250219': 'anthropic.claude-3-7-sonnet-20250219-v1:0',
  'claude-sonnet-4-20250514': 'anthropic.claude-sonnet-4-20250514-v1:0',
  'claude-opus-4-20250514': 'anthropic.claude-opus-4-20250514-v1:0',
  'claude-opus-4-1-20250805': 'anthropic.claude-opus-4-1-20250805-v1:0',
  'claude-sonnet-4-5-20250929': 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'claude-haiku-4-5-20251001': 'anthropic.claude-haiku-4-5-20251001-v1:0',
  'claude-opus-4-5-20251101': 'anthropic.claude-opus-4-5-20251101-v1:0',
});

const US = ['us'];
const US_AP = ['us', 'ap'];
const US_EU_AP = ['us', 'eu', 'ap'];

/**
 * Models Bedrock serves through cross-region inference profiles, by the geography of the channel's
 * region (New API's table): there the id gets the geography's prefix (`us.anthropic.…`). Newer
 * models are only served that way.
 */
const CROSS_REGION_GEOGRAPHIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'anthropic.claude-3-sonnet-20240229-v1:0': US_EU_AP,
  'anthropic.claude-3-opus-20240229-v1:0': US,
  'anthropic.claude-3-haiku-20240307-v1:0': US_EU_AP,
  'anthropic.claude-3-5-sonnet-20240620-v1:0': US_EU_AP,
  'anthropic.claude-3-5-sonnet-20241022-v2:0': US_AP,
  'anthropic.claude-3-5-haiku-20241022-v1:0': US,
  'anthropic.claude-3-7-sonnet-20250219-v1:0': US_EU_AP,
  'anthropic.claude-sonnet-4-20250514-v1:0': US_EU_AP,
  'anthropic.claude-opus-4-20250514-v1:0': US,
  'anthropic.claude-opus-4-1-20250805-v1:0': US,
  'anthropic.claude-sonnet-4-5-20250929-v1:0': US_EU_AP,
  'anthropic.claude-haiku-4-5-20251001-v1:0': US_EU_AP,
  'anthropic.claude-opus-4-5-20251101-v1:0': US_EU_AP,
});

/** Inference-profile prefixes by region geography (`ap-…` regions use `apac.`). */
const PROFILE_PREFIXES: Readonly<Record<string, string>> = Object.freeze({ us: 'us', eu: 'eu', ap: 'apac' });

/**
 * The Bedrock model id for a model name in a region. Known Anthropic names map to their Bedrock id,
 * with the cross-region prefix where the region's geography has a profile; any other name
 * (a Bedrock id, an inference profile or an ARN the operator wrote) goes as written.
 */
export function bedrockModelId(model: string, region: string): string {
  const id = BEDROCK_MODEL_IDS[model];
  if (!id) return model;
  const geography = region.split('-')[0];
  const prefix = PROFILE_PREFIXES[geography];
  return prefix && CROSS_REGION_GEOGRAPHIES[id]?.includes(geography) ? `${prefix}.${id}` : id;
}
