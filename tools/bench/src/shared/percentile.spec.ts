import { percentile } from './percentile';

describe('percentile', () => {
  it('interpolates between the nearest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
    expect(percentile([0, 100], 99)).toBeCloseTo(99);
  });

  it('does not depend on the input order and leaves the input alone', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('gives the extremes at 0 and 100, and the value itself for one sample', () => {
    expect(percentile([3, 9, 7], 0)).toBe(3);
    expect(percentile([3, 9, 7], 100)).toBe(9);
    expect(percentile([42], 99)).toBe(42);
  });

  it('is NaN without samples and refuses a percentile outside 0-100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});
