import { isNewer } from '../index';

describe('isNewer', () => {
  it('accepts anything when nothing is stored', () => {
    expect(isNewer(0, undefined)).toBe(true);
    expect(isNewer(14801, undefined)).toBe(true);
  });

  it('replaces only on a strictly greater version', () => {
    expect(isNewer(5, 4)).toBe(true);
    expect(isNewer(4, 4)).toBe(false);
    expect(isNewer(3, 4)).toBe(false);
    expect(isNewer(0, 0)).toBe(false);
  });
});
