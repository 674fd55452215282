import { dec, decAdd, decMul, decRound, decSub, decTrunc } from './decimal';

describe('exact decimal helper', () => {
  it.each([
    [0, 0n, 0],
    [42, 42n, 0],
    [-7, -7n, 0],
    [0.1, 1n, 1],
    [1.25, 125n, 2],
    [-0.075, -75n, 3],
    [1e-7, 1n, 7],
    [1.5e-10, 15n, 11],
    [1e21, 10n ** 21n, 0],
    [4 / 3, 13333333333333333n, 16],
  ])('dec(%p) = %p × 10^-%p', (x, coef, scale) => {
    expect(dec(x)).toEqual({ coef, scale });
  });

  it('rejects non-finite numbers', () => {
    expect(() => dec(Number.NaN)).toThrow(RangeError);
    expect(() => dec(Infinity)).toThrow(RangeError);
  });

  it('adds, subtracts and multiplies exactly', () => {
    expect(decAdd(dec(0.1), dec(0.2))).toEqual({ coef: 3n, scale: 1 });
    expect(decSub(dec(1), dec(0.25))).toEqual({ coef: 75n, scale: 2 });
    expect(decRound(decMul(dec(600), decMul(dec(0.075), dec(0.7))))).toBe(32n);
  });

  it.each([
    [2.5, 3n, 2n],
    [-2.5, -3n, -2n],
    [2.4999, 2n, 2n],
    [0.5, 1n, 0n],
    [-0.5, -1n, 0n],
    [7, 7n, 7n],
  ])('round/trunc %p → %p / %p', (x, rounded, truncated) => {
    expect(decRound(dec(x))).toBe(rounded);
    expect(decTrunc(dec(x))).toBe(truncated);
  });
});
