/** Image detail levels accepted by OpenAI vision; "auto" and unset are billed as "high". */
export type ImageDetail = 'low' | 'high' | 'auto';

export interface ImageTokenCosts {
  /** Fixed cost of every image (the whole cost at detail "low"). */
  base: number;
  /** Cost per 512×512 tile at detail "high". */
  perTile: number;
}

/** gpt-4o-mini bills images at ~33× the token count so that the dollar price matches gpt-4o. */
export function imageTokenCosts(model?: string): ImageTokenCosts {
  if (model && model.startsWith('gpt-4o-mini')) return { base: 2833, perTile: 5667 };
  return { base: 85, perTile: 170 };
}

/**
 * Prompt tokens for one image (OpenAI vision pricing):
 * - detail "low": `base` (85);
 * - "high"/"auto": fit within 2048×2048, then shrink so the short side is at most 768, then
 *   `base + perTile × ceil(w/512) × ceil(h/512)` — 1024×1024 → 765, 2048×4096 → 1105;
 * - dimensions unknown: a flat 3 × base (255), New API's figure when it does not measure images.
 * Images are only ever scaled down, never up.
 */
export function imageTokens(detail: string | undefined, width?: number, height?: number, model?: string): number {
  const { base, perTile } = imageTokenCosts(model);
  if (detail === 'low') return base;
  if (!width || !height || !Number.isFinite(width) || !Number.isFinite(height) || width <= 0 || height <= 0) {
    return 3 * base;
  }
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const shrink = Math.min(1, 768 / Math.min(w, h));
  w *= shrink;
  h *= shrink;
  // The epsilon keeps a side scaled to exactly 1024.0000000001 by float error at 2 tiles, not 3.
  const tilesAlong = (side: number): number => Math.ceil(side / 512 - 1e-9);
  const tiles = tilesAlong(w) * tilesAlong(h);
  return base + perTile * tiles;
}
