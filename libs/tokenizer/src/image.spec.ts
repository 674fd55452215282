import { imageTokenCosts, imageTokens } from './index';

describe('imageTokens (protocols §10.3)', () => {
  it.each([
    // detail, width, height, tokens
    ['low', 4096, 4096, 85],
    ['low', undefined, undefined, 85],
    ['high', 1024, 1024, 765], // → 768×768 → 4 tiles
    ['auto', 1024, 1024, 765],
    [undefined, 1024, 1024, 765],
    ['high', 2048, 4096, 1105], // → 1024×2048 → 768×1536 → 6 tiles
    ['high', 4096, 8192, 1105], // fit 2048 first: → 1024×2048 → same
    ['high', 512, 512, 255], // no upscaling: 1 tile
    ['high', 100, 100, 255],
    ['high', 513, 512, 425], // 2 tiles
    ['high', 768, 768, 765],
    ['high', 1920, 1080, 1105], // → 1365.3×768 → 3×2 tiles
    ['high', 4000, 3000, 765], // → 2048×1536 → 1024×768 → 2×2 tiles
    ['high', undefined, undefined, 255], // unknown size → flat 3 × 85
    ['high', 0, 100, 255],
    ['high', Number.NaN, 100, 255],
  ])('%s %p×%p → %d', (detail, w, h, tokens) => {
    expect(imageTokens(detail, w, h)).toBe(tokens);
  });

  it('gpt-4o-mini base/tile costs', () => {
    expect(imageTokenCosts('gpt-4o-mini-2024-07-18')).toEqual({ base: 2833, perTile: 5667 });
    expect(imageTokenCosts('gpt-4o')).toEqual({ base: 85, perTile: 170 });
    expect(imageTokens('low', undefined, undefined, 'gpt-4o-mini')).toBe(2833);
    expect(imageTokens('high', 2048, 4096, 'gpt-4o-mini')).toBe(2833 + 6 * 5667);
  });
});
