import { lookupModelPrice, lookupModelRatio, completionRatio, type RatioTables } from '@your-api/billing-math';
import { CHANNEL_TYPE_NAMES, ChannelType, QuotaType, type PricingModelView } from '@your-api/contracts';

/** One enabled ability reduced to what the marketplace shows: a model in a group on a channel type. */
export interface ModelOffer {
  model: string;
  group: string;
  channelType: number;
}

/** Client protocols a channel type can be called with (New API GetEndpointTypesByChannelType). */
export function endpointTypesOf(channelType: number): string[] {
  switch (channelType) {
    case ChannelType.Anthropic:
      return ['anthropic', 'openai'];
    case ChannelType.Gemini:
    case ChannelType.VertexAI:
      return ['gemini', 'openai'];
    case ChannelType.Jina:
      return ['jina-rerank'];
    default:
      return ['openai'];
  }
}

/** The marketplace owner name of a channel type, as /v1/models reports it (`openai`, `anthropic`, …). */
export function ownerOf(channelType: number): string {
  return (CHANNEL_TYPE_NAMES[channelType] ?? 'custom').toLowerCase();
}

/**
 * The pricing rows for every offered model, sorted by name: a fixed ModelPrice wins over ratios
 * (quota_type 1), otherwise the model ratio and completion ratio apply (quota_type 0).
 */
export function buildPricing(offers: readonly ModelOffer[], tables: RatioTables, selfUseMode: boolean): PricingModelView[] {
  const byModel = new Map<string, { groups: Set<string>; types: number[] }>();
  for (const offer of offers) {
    const entry = byModel.get(offer.model) ?? { groups: new Set<string>(), types: [] };
    entry.groups.add(offer.group);
    if (!entry.types.includes(offer.channelType)) entry.types.push(offer.channelType);
    byModel.set(offer.model, entry);
  }
  return [...byModel.keys()].sort().map((model) => {
    const { groups, types } = byModel.get(model)!;
    const price = lookupModelPrice(tables.modelPrice, model);
    const endpoints = [...new Set(types.flatMap(endpointTypesOf))];
    return {
      model_name: model,
      quota_type: price.found ? QuotaType.PerCall : QuotaType.Ratio,
      model_ratio: lookupModelRatio(tables.modelRatio, model, selfUseMode).ratio,
      model_price: price.found ? price.price : 0,
      completion_ratio: completionRatio(tables.completionRatio, model),
      enable_groups: [...groups].sort(),
      owner_by: types.length ? ownerOf(Math.min(...types)) : '',
      supported_endpoint_types: endpoints,
    };
  });
}

/** HeaderNavModules `{"pricing": {"enabled": true, "requireAuth": true}}` asks for a logged-in caller. */
export function pricingRequiresLogin(headerNavModules: string): boolean {
  if (!headerNavModules.trim()) return false;
  try {
    const parsed = JSON.parse(headerNavModules) as { pricing?: unknown };
    const pricing = parsed?.pricing;
    return typeof pricing === 'object' && pricing !== null && (pricing as { requireAuth?: unknown }).requireAuth === true;
  } catch {
    return false;
  }
}
